using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace OrleansIm.LoadTest.Client;

/// <summary>
/// One <c>/ws</c> socket of a user: request frames matched to their replies by id (pipelined, see docs/protocol.md
/// § Frames), and pushes handed to a callback on the read loop, in arrival order.
/// </summary>
public sealed class ImConnection : IAsyncDisposable
{
    /// <summary>How long a request waits for its reply before it counts as failed.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    // Increases with every frame any connection of this process writes: the send order the checker compares seqs with.
    private static long s_sendOrder;

    private readonly ClientWebSocket _socket;
    private readonly PushHandler _onPush;
    private readonly ConcurrentDictionary<string, Pending> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1);
    private readonly Task _reader;
    private volatile bool _closedByClient;
    private long _nextId;

    /// <summary>Receives a push: the connection, its type and its <c>data</c> (valid only during the call).</summary>
    public delegate void PushHandler(ImConnection connection, string type, JsonElement data);

    private ImConnection(ClientWebSocket socket, ImUser user, PushHandler onPush)
    {
        _socket = socket;
        User = user;
        _onPush = onPush;
        _reader = Task.Run(ReadLoopAsync);
    }

    public ImUser User { get; }

    public bool IsOpen => _socket.State == WebSocketState.Open && !_reader.IsCompleted;

    /// <summary>Why the socket is closed: the close code and reason the server sent, "aborted" without a close frame,
    /// or null while it is open.</summary>
    public string? CloseDescription => IsOpen ? null
        : _socket.CloseStatus is { } status ? $"close {(int)status} {_socket.CloseStatusDescription}".TrimEnd() : "aborted";

    /// <summary>Completes when the read loop ended (closed by either side, or failed).</summary>
    public Task Closed => _reader;

    /// <summary>True once this side closed or aborted the socket; a socket that ends without it was ended by the server
    /// (a kick, a drain, 1008 for a client that fell behind) or the network.</summary>
    public bool ClosedByClient => _closedByClient;

    /// <summary>Opens <c>/ws</c> on <paramref name="gatewayUrl"/> with the token and device type as headers (seed 000).</summary>
    public static async Task<ImConnection> ConnectAsync(string gatewayUrl, ImUser user, PushHandler onPush, string deviceType = "im_web",
        CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("token", user.Token);
        socket.Options.SetRequestHeader("deviceType", deviceType);
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new Uri(gatewayUrl.Replace("http://", "ws://").Replace("https://", "wss://").TrimEnd('/') + "/ws");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            throw new WebSocketException(status == 0 ? $"handshake failed: {e.Message}" : $"handshake refused: HTTP {status}", e);
        }
        return new ImConnection(socket, user, onPush);
    }

    /// <summary>Sends a request frame and waits for its reply (an ack or an error frame).</summary>
    /// <exception cref="ConnectionLostException">The socket closed before the reply.</exception>
    /// <exception cref="TimeoutException">No reply within <see cref="ReplyTimeout"/>.</exception>
    public async Task<Reply> RequestAsync(string type, object? data)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pending = new Pending();
        _pending[id] = pending;
        var frame = JsonSerializer.SerializeToUtf8Bytes(new { type, id, data });
        await _sendLock.WaitAsync();
        try
        {
            pending.SendOrder = Interlocked.Increment(ref s_sendOrder);
            await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            _pending.TryRemove(id, out _);
            throw new ConnectionLostException($"{type} not sent: {e.Message}", -1);
        }
        finally
        {
            _sendLock.Release();
        }
        if (_reader.IsCompleted && _pending.TryRemove(id, out _)) throw new ConnectionLostException($"{type}: socket closed", pending.SendOrder);
        try
        {
            return await pending.Reply.Task.WaitAsync(ReplyTimeout);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"{type}: no reply within {ReplyTimeout.TotalSeconds:N0} s");
        }
    }

    /// <summary>Drops the TCP connection without a close handshake (what a phone losing its network does).</summary>
    public void Abort()
    {
        _closedByClient = true;
        _socket.Abort();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), CancellationToken.None);
                    buffer.Advance(result.Count);
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) break;
                OnFrame(buffer.WrittenMemory);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            foreach (var (id, pending) in _pending)
            {
                if (_pending.TryRemove(id, out _))
                    pending.Reply.TrySetException(new ConnectionLostException("socket closed before the reply", pending.SendOrder));
            }
        }
    }

    private void OnFrame(ReadOnlyMemory<byte> bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var type = root.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            var id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : idElement.GetRawText();
            if (_pending.TryRemove(id, out var pending))
            {
                var ok = type != "error";
                var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
                var code = !ok && root.TryGetProperty("code", out var c) && c.TryGetInt32(out var code32) ? code32 : 0;
                var message = !ok && root.TryGetProperty("msg", out var m) ? m.GetString() : null;
                var retry = root.TryGetProperty("retry_after_ms", out var r) && r.TryGetInt32(out var ms) ? ms : 0;
                pending.Reply.TrySetResult(new Reply(ok, type, data, code, message, retry, pending.SendOrder));
                return;
            }
        }
        _onPush(this, type, root.TryGetProperty("data", out var pushData) ? pushData : default);
    }

    public async ValueTask DisposeAsync()
    {
        _closedByClient = true;
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _socket.Abort();
        _socket.Dispose();
    }

    private sealed class Pending
    {
        public readonly TaskCompletionSource<Reply> Reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long SendOrder = -1;
    }
}
