using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.ToolsShared;

namespace OrleansIm.Benchmarks;

/// <summary>
/// N pairs of WebSocket clients on one node: each sender keeps a window of unacknowledged msg.send frames
/// (pipelined; 1 = wait for each ack)
/// in flight to its partner; the partner timestamps msg.new arrival. Prints acked messages/s and
/// ack and delivery latency percentiles (the send time travels in the message text).
/// </summary>
public static class EndToEndBenchmark
{
    private const string AppId = "666666";
    private static string AppKey = "keyAbcd123";

    /// <param name="urls">Gateways to use (comma-separated); null starts a standalone node. With several,
    /// each pair's sender and receiver sit on different gateways.</param>
    /// <param name="siloDll">With no <paramref name="urls"/>: the node to start (another build's
    /// OrleansIm.Silo.dll); null starts this repository's build.</param>
    /// <param name="warmUp">Load run first and left out of the figures (a fresh node still compiles its hot paths).</param>
    public static async Task<Result> RunAsync(TimeSpan duration, int pairs, int window, string? urls, string appKey, string? siloDll = null,
        TimeSpan warmUp = default)
    {
        await using var node = urls is null ? await NodeProcess.StartAsync(siloDll) : null;
        var gateways = urls?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [node!.BaseUrl];
        return await DriveAsync($"end to end, {gateways.Length} gateway(s)", "acked (persisted)", gateways, duration, pairs, window, appKey,
            node is null ? null : () => node.CpuTime, warmUp);
    }

    /// <summary>Figures of one run: acknowledged messages/s, counts, and latency percentiles in ms.</summary>
    /// <param name="ServerCpuMsPerMessage">CPU the node spent per acknowledged message while the clients sent (NaN when
    /// the server is not a process of ours); with the CPU the clients' process spent, a measure of cost that other
    /// tenants of a shared machine disturb much less than throughput.</param>
    public sealed record Result(double AckedPerSecond, long Acked, long Delivered, long Errors,
        double AckP50, double AckP99, double DeliveryP50, double DeliveryP99,
        double ServerCpuMsPerMessage, double ClientCpuMsPerMessage);

    /// <summary>
    /// Logs in <paramref name="pairs"/> pairs of users on <paramref name="gateways"/>, gives each pair a private
    /// conversation and a sender and a receiver socket, runs the send loops for <paramref name="duration"/> and
    /// reports. Used for the node and for the floor (<see cref="FloorServer"/>), so both see the same clients.
    /// </summary>
    /// <param name="serverCpu">The server's CPU time so far, when it runs in a process of its own.</param>
    /// <param name="warmUp">When positive, the send loops run this long first, drain, and everything they counted is
    /// dropped before the measured <paramref name="duration"/>.</param>
    public static async Task<Result> DriveAsync(string label, string ackedMeaning, string[] gateways, TimeSpan duration, int pairs, int window, string appKey,
        Func<TimeSpan>? serverCpu = null, TimeSpan warmUp = default)
    {
        using var http = new HttpClient { BaseAddress = new Uri(gateways[0]) };
        AppKey = appKey;

        var run = Guid.NewGuid().ToString("N")[..6];
        var senders = new List<Client>();
        var receivers = new List<Client>();
        for (var i = 0; i < pairs; i++)
        {
            var a = $"bs{run}{i}";
            var b = $"br{run}{i}";
            var tokenA = await LoginAsync(http, a);
            var tokenB = await LoginAsync(http, b);
            var conv = await CreateConversationAsync(http, a, b);
            receivers.Add(await Client.ConnectAsync(gateways[(i + 1) % gateways.Length], tokenB, conv, window));
            senders.Add(await Client.ConnectAsync(gateways[i % gateways.Length], tokenA, conv, window));
        }

        if (warmUp > TimeSpan.Zero)
        {
            using (var warm = new CancellationTokenSource(warmUp)) await Task.WhenAll(senders.Select(s => s.SendLoopAsync(warm.Token)));
            await DeliveriesLandAsync();
            foreach (var c in senders.Concat(receivers)) c.ResetCounts();
        }

        var self = Process.GetCurrentProcess();
        var clientCpuAtStart = self.TotalProcessorTime;
        var serverCpuAtStart = serverCpu?.Invoke() ?? TimeSpan.Zero;
        var stopwatch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(senders.Select(s => s.SendLoopAsync(stop.Token)));
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        await DeliveriesLandAsync();
        var acked = senders.Sum(s => s.Acked);
        self.Refresh();
        var clientCpuMs = (self.TotalProcessorTime - clientCpuAtStart).TotalMilliseconds;
        var serverCpuMs = serverCpu is null ? double.NaN : (serverCpu() - serverCpuAtStart).TotalMilliseconds;

        var ackLatencies = senders.SelectMany(s => s.AckLatenciesMs).ToList();
        var deliveryLatencies = receivers.SelectMany(r => r.DeliveryLatenciesMs).ToList();
        var delivered = receivers.Sum(r => r.Received);
        var errors = senders.Sum(s => s.Errors);
        var result = new Result(acked / elapsed, acked, delivered, errors,
            GrainCallBenchmark.Percentile(ackLatencies, 50), GrainCallBenchmark.Percentile(ackLatencies, 99),
            GrainCallBenchmark.Percentile(deliveryLatencies, 50), GrainCallBenchmark.Percentile(deliveryLatencies, 99),
            serverCpuMs / Math.Max(acked, 1), clientCpuMs / Math.Max(acked, 1));
        Report.Line($"{label}, {pairs} pairs (window {window}): {result.AckedPerSecond,8:N0} msgs/s {ackedMeaning}, {delivered:N0}/{acked:N0} delivered, {errors} errors");
        Report.Line($"  ack latency      p50 {result.AckP50:N2} ms   p99 {result.AckP99:N2} ms");
        Report.Line($"  delivery latency p50 {result.DeliveryP50:N2} ms   p99 {result.DeliveryP99:N2} ms");
        Report.Line(serverCpu is null
            ? $"  CPU per message  {result.ClientCpuMsPerMessage * 1000:N0} µs in this benchmark process"
            : $"  CPU per message  {result.ServerCpuMsPerMessage * 1000:N0} µs in the node, {result.ClientCpuMsPerMessage * 1000:N0} µs in the clients");
        foreach (var c in senders.Concat(receivers)) await c.DisposeAsync();
        return result;

        // Lets in-flight deliveries land before counting (at most 10 s).
        async Task DeliveriesLandAsync()
        {
            var acked = senders.Sum(s => s.Acked);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (receivers.Sum(r => r.Received) < acked && DateTime.UtcNow < deadline) await Task.Delay(50);
        }
    }

    private static async Task<string> LoginAsync(HttpClient http, string userId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/openapi/v1/user/login")
        {
            Content = JsonContent.Create(new { id = userId, nickname = userId, device = "im_web" }),
        };
        request.Headers.Add("X-App-Key", AppKey);
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["data"]?["token"]?.GetValue<string>() ?? throw new InvalidOperationException($"Login failed: {body}");
    }

    private static async Task<string> CreateConversationAsync(HttpClient http, string a, string b)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/im/conversations")
        {
            Content = JsonContent.Create(new { client_id = a, to_client_ids = new[] { b }, conv_type = 1 }),
        };
        request.Headers.Add("app-id", AppId);
        request.Headers.Add("app-key", AppKey);
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["data"]?["conv_id"]?.GetValue<string>() ?? throw new InvalidOperationException($"Create failed: {body}");
    }

    private sealed class Client : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly string _convId;
        private readonly ConcurrentDictionary<string, long> _inFlight = new();
        private readonly SemaphoreSlim _window;
        private readonly SemaphoreSlim _sendLock = new(1);
        private readonly Task _reader;
        private long _nextId;

        private Client(ClientWebSocket socket, string convId, int window)
        {
            _window = new SemaphoreSlim(window);
            _socket = socket;
            _convId = convId;
            _reader = Task.Run(ReadLoopAsync);
        }

        public long Acked;
        public long Received;
        public long Errors;
        public ConcurrentBag<double> AckLatenciesMs { get; } = [];
        public ConcurrentBag<double> DeliveryLatenciesMs { get; } = [];

        /// <summary>Forgets what the warm-up counted; only between runs of the send loop, with nothing in flight.</summary>
        public void ResetCounts()
        {
            Interlocked.Exchange(ref Acked, 0);
            Interlocked.Exchange(ref Received, 0);
            AckLatenciesMs.Clear();
            DeliveryLatenciesMs.Clear();
        }

        public static async Task<Client> ConnectAsync(string baseUrl, string token, string convId, int window)
        {
            var socket = new ClientWebSocket();
            var wsUrl = baseUrl.Replace("http", "ws") + $"/ws?token={Uri.EscapeDataString(token)}&deviceType=im_web";
            await socket.ConnectAsync(new Uri(wsUrl), CancellationToken.None);
            return new Client(socket, convId, window);
        }

        public async Task SendLoopAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                try { await _window.WaitAsync(stop); } catch (OperationCanceledException) { break; }
                var id = Interlocked.Increment(ref _nextId).ToString();
                var sentAt = Stopwatch.GetTimestamp();
                _inFlight[id] = sentAt;
                var frame = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    type = "msg.send",
                    id,
                    data = new { conv_id = _convId, client_msg_id = id, type = -1, text = sentAt.ToString() },
                });
                await _sendLock.WaitAsync();
                try { await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None); }
                finally { _sendLock.Release(); }
            }
            // Wait for the window to drain (bounded).
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!_inFlight.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(10);
        }

        private async Task ReadLoopAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (_socket.State == WebSocketState.Open)
                {
                    var (count, type) = await WebSocketMessages.ReceiveAsync(_socket, buffer, CancellationToken.None);
                    if (type == WebSocketMessageType.Close) return;
                    OnFrame(JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, count))!);
                }
            }
            catch (WebSocketException) { }
            catch (OperationCanceledException) { }
        }

        private void OnFrame(JsonNode frame)
        {
            var now = Stopwatch.GetTimestamp();
            switch (frame["type"]?.GetValue<string>())
            {
                case "msg.send.ack":
                    if (_inFlight.TryRemove(frame["id"]!.GetValue<string>(), out var sentAt))
                    {
                        Interlocked.Increment(ref Acked);
                        AckLatenciesMs.Add(Stopwatch.GetElapsedTime(sentAt, now).TotalMilliseconds);
                        _window.Release();
                    }
                    break;
                case "msg.new":
                    if (long.TryParse(frame["data"]?["text"]?.GetValue<string>(), out var sent))
                    {
                        Interlocked.Increment(ref Received);
                        DeliveryLatenciesMs.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                    }
                    break;
                case "error":
                    Interlocked.Increment(ref Errors);
                    if (frame["id"] is { } id && _inFlight.TryRemove(id.GetValue<string>(), out _)) _window.Release();
                    break;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None); } catch (WebSocketException) { }
            await _reader.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { });
            _socket.Dispose();
        }
    }
}
