using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// A test client over ClientWebSocket: a background loop collects frames; tests wait for the frame they expect
/// with a deadline (frames that do not match stay queued for later waits).
/// </summary>
public sealed class ImSocket : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _pending = [];
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiveLoop;
    private int _nextId;

    public ImSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public WebSocketState State => _socket.State;

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1024 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(_socket.CloseStatus);
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    break;
                }
                _frames.Writer.TryWrite(JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone());
            }
        }
        catch (Exception)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public Task SendTextAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBytesAsync(byte[] bytes, WebSocketMessageType type) =>
        _socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

    /// <summary>Sends one text message as these WebSocket frames (fragments; an empty one is an empty frame).</summary>
    public async Task SendFragmentsAsync(params string[] fragments)
    {
        for (var i = 0; i < fragments.Length; i++)
            await _socket.SendAsync(Encoding.UTF8.GetBytes(fragments[i]), WebSocketMessageType.Text, endOfMessage: i == fragments.Length - 1, CancellationToken.None);
    }

    /// <summary>Sends {type,id,data} and returns the reply correlated by id (ack, pong, login.success or error).</summary>
    public async Task<JsonElement> RequestAsync(string type, object? data = null)
    {
        var id = "r" + Interlocked.Increment(ref _nextId);
        await SendTextAsync(JsonSerializer.Serialize(new { type, id, data }));
        return await WaitForAsync(f => f.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String && i.GetString() == id);
    }

    /// <summary>Like <see cref="RequestAsync"/> but asserts an ack of the expected type and returns its data.</summary>
    public async Task<JsonElement> AckAsync(string type, object? data = null, string? replyType = null)
    {
        var reply = await RequestAsync(type, data);
        var actual = reply.GetProperty("type").GetString();
        if (actual != (replyType ?? type + ".ack")) throw new InvalidOperationException($"Expected {replyType ?? type + ".ack"}, got {reply}");
        return reply.GetProperty("data");
    }

    /// <summary>Sends a request and asserts an error frame with <paramref name="code"/>.</summary>
    public async Task<JsonElement> ExpectErrorAsync(string type, object? data, int code)
    {
        var reply = await RequestAsync(type, data);
        return AssertError(reply, code);
    }

    public static JsonElement AssertError(JsonElement reply, int code)
    {
        if (reply.GetProperty("type").GetString() != "error" || reply.GetProperty("code").GetInt32() != code)
            throw new InvalidOperationException($"Expected error {code}, got {reply}");
        return reply;
    }

    /// <summary>Proves the socket still works: a ping gets its pong.</summary>
    public async Task PingAsync() => await AckAsync("ping", null, "pong");

    public Task<JsonElement> WaitForTypeAsync(string type, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null) =>
        WaitForAsync(f => f.GetProperty("type").GetString() == type && (match is null || match(f)), timeout);

    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        for (var i = 0; i < _pending.Count; i++)
        {
            if (!match(_pending[i])) continue;
            var found = _pending[i];
            _pending.RemoveAt(i);
            return found;
        }

        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cts.Token);
                if (match(frame)) return frame;
                _pending.Add(frame);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"No matching frame (socket {_socket.State}); unmatched: [{string.Join(", ", _pending)}]");
        }
    }

    /// <summary>Waits until the server closed the socket; returns its close status.</summary>
    public async Task<WebSocketCloseStatus?> WaitClosedAsync(TimeSpan? timeout = null) =>
        await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
                await _closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception)
        {
        }
        _socket.Abort();
        try
        {
            await _receiveLoop;
        }
        catch (Exception)
        {
        }
        _socket.Dispose();
    }
}
