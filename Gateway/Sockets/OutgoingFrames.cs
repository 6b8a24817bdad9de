using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// The send side of one client socket, the same for both dialects: a bounded queue drained by a single write
/// loop, and the close (code, reason) that ends it. A client that stops reading fills the queue and is
/// aborted rather than growing the gateway's memory.
/// </summary>
public sealed class OutgoingFrames
{
    private readonly Channel<byte[]> _queue;
    private readonly Lock _lock = new();
    private readonly TimeSpan _closeTimeout;
    private readonly ILogger _logger;
    private readonly string _connection;
    private readonly Action _onOverflow;
    private bool _closing;
    private int _closeCode = WebSocketCloseCodes.Normal;
    private string _closeReason = "";

    /// <param name="connection">How logs name this connection.</param>
    /// <param name="onOverflow">Aborts the connection (socket and its loops) when the client stops reading.</param>
    public OutgoingFrames(int capacity, TimeSpan closeTimeout, ILogger logger, string connection, Action onOverflow)
    {
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _closeTimeout = closeTimeout;
        _logger = logger;
        _connection = connection;
        _onOverflow = onOverflow;
    }

    /// <summary>True once a close was requested (or the queue overflowed).</summary>
    public bool IsClosing
    {
        get { lock (_lock) return _closing; }
    }

    /// <summary>Queues a frame; a full queue means the client is not reading, so the connection is aborted.</summary>
    public bool TryEnqueue(byte[] frame)
    {
        if (_queue.Writer.TryWrite(frame)) return true;
        lock (_lock)
        {
            if (_closing) return false;
            _closing = true;
        }
        _logger.LogWarning("Connection {Connection} is not reading its frames; aborting it", _connection);
        _queue.Writer.TryComplete();
        _onOverflow();
        return false;
    }

    /// <summary>Sends <paramref name="finalFrame"/> (if any) after what is already queued, then closes with <paramref name="code"/>. Idempotent.</summary>
    public void Close(int code, string reason, byte[]? finalFrame = null)
    {
        lock (_lock)
        {
            if (_closing) return;
            _closing = true;
            _closeCode = code;
            _closeReason = reason;
        }
        if (finalFrame is not null) _queue.Writer.TryWrite(finalFrame);
        _queue.Writer.TryComplete();
    }

    /// <summary>Writes queued frames in order until the queue completes, then sends the close frame.</summary>
    public async Task WriteLoopAsync(WebSocket socket)
    {
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync())
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                int code;
                string reason;
                lock (_lock)
                {
                    code = _closeCode;
                    reason = _closeReason;
                }
                using var timeout = new CancellationTokenSource(_closeTimeout);
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _logger.LogDebug(e, "Connection {Connection} write loop ended", _connection);
            socket.Abort();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Connection {Connection} write loop failed", _connection);
            socket.Abort();
        }
    }
}
