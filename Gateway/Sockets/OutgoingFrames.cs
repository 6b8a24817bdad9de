using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// The send side of one client socket, the same for both dialects: a queue bounded in frames and in bytes, drained
/// by a single write loop whose every send has a timeout, and the close (code, reason) that ends it. A client that
/// stops reading cannot grow the gateway's memory: when its queue is full the queued frames are dropped and the
/// socket is closed with <see cref="WebSocketCloseCodes.NotReading"/>; when one send makes no progress for the send
/// timeout the socket is aborted.
/// </summary>
public sealed class OutgoingFrames
{
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly Lock _lock = new();
    private readonly OutgoingLimits _limits;
    private readonly ILogger _logger;
    private readonly string _connection;
    private readonly byte[]? _notReadingFrame;
    private bool _closing;
    private int _closeCode = WebSocketCloseCodes.Normal;
    private string _closeReason = "";
    // Frames and bytes queued or being sent: a frame counts until its send completes.
    private int _queuedFrames;
    private long _queuedBytes;
    private long _peakQueuedBytes;

    /// <param name="connection">How logs name this connection.</param>
    /// <param name="notReadingFrame">The dialect's last word to a client that does not read (STOMP: an ERROR frame), or null.</param>
    public OutgoingFrames(OutgoingLimits limits, ILogger logger, string connection, byte[]? notReadingFrame = null)
    {
        _limits = limits;
        _logger = logger;
        _connection = connection;
        _notReadingFrame = notReadingFrame;
    }

    /// <summary>True once a close was requested (or the queue overflowed).</summary>
    public bool IsClosing
    {
        get { lock (_lock) return _closing; }
    }

    /// <summary>The close code requested so far (<see cref="WebSocketCloseCodes.Normal"/> while open).</summary>
    public int CloseCode
    {
        get { lock (_lock) return _closeCode; }
    }

    /// <summary>Bytes of the frames queued or being sent now.</summary>
    public long QueuedBytes
    {
        get { lock (_lock) return _queuedBytes; }
    }

    /// <summary>The most bytes ever queued at once on this socket: at most the byte limit, or one frame if a single frame is bigger.</summary>
    public long PeakQueuedBytes
    {
        get { lock (_lock) return _peakQueuedBytes; }
    }

    /// <summary>
    /// Queues a frame. A frame that would take the queue past its frame or byte limit means the client is not
    /// reading: the queued frames are dropped and the socket closes with <see cref="WebSocketCloseCodes.NotReading"/>.
    /// A frame is always accepted onto an empty queue, so one large frame cannot wedge a client that reads.
    /// </summary>
    public bool TryEnqueue(byte[] frame)
    {
        long dropped;
        lock (_lock)
        {
            if (_closing) return false;
            if (_queuedFrames == 0 || (_queuedFrames < _limits.MaxFrames && _queuedBytes + frame.Length <= _limits.MaxBytes))
            {
                Add(frame);
                _queue.Writer.TryWrite(frame);
                return true;
            }

            _closing = true;
            _closeCode = WebSocketCloseCodes.NotReading;
            _closeReason = "not reading";
            dropped = _queuedBytes;
            // Frames still queued will never be read in time: free them now. The one being sent stays counted until its send ends.
            while (_queue.Reader.TryRead(out var queued)) Remove(queued);
            if (_notReadingFrame is not null)
            {
                Add(_notReadingFrame);
                _queue.Writer.TryWrite(_notReadingFrame);
            }
            _queue.Writer.TryComplete();
        }
        _logger.LogWarning("Connection {Connection} is not reading its frames ({Bytes} bytes queued); closing it with {Code}",
            _connection, dropped, WebSocketCloseCodes.NotReading);
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
            if (finalFrame is not null)
            {
                Add(finalFrame);
                _queue.Writer.TryWrite(finalFrame);
            }
            _queue.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Writes queued frames in order until the queue completes, then sends the close frame. A send that makes no
    /// progress for the send timeout aborts the socket: the client is not reading and nothing more can reach it.
    /// </summary>
    public async Task WriteLoopAsync(WebSocket socket)
    {
        var sendTimeout = new CancellationTokenSource();
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync())
            {
                sendTimeout.CancelAfter(_limits.SendTimeout);
                try
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, sendTimeout.Token);
                }
                catch (OperationCanceledException) when (sendTimeout.IsCancellationRequested)
                {
                    _logger.LogWarning("Connection {Connection}: a send made no progress for {SendTimeout}; aborting it", _connection, _limits.SendTimeout);
                    throw;
                }
                finally
                {
                    lock (_lock) Remove(frame);
                }
                // Reused while it has not fired; it may fire between the send's end and here, then it is replaced.
                if (!sendTimeout.TryReset())
                {
                    sendTimeout.Dispose();
                    sendTimeout = new CancellationTokenSource();
                }
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
                using var timeout = new CancellationTokenSource(_limits.CloseTimeout);
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
        finally
        {
            sendTimeout.Dispose();
            // Nothing will send what is left: free it.
            lock (_lock)
            {
                _closing = true;
                _queue.Writer.TryComplete();
                while (_queue.Reader.TryRead(out var queued)) Remove(queued);
            }
        }
    }

    private void Add(byte[] frame)
    {
        _queuedFrames++;
        _queuedBytes += frame.Length;
        if (_queuedBytes > _peakQueuedBytes) _peakQueuedBytes = _queuedBytes;
    }

    private void Remove(byte[] frame)
    {
        _queuedFrames--;
        _queuedBytes -= frame.Length;
    }
}
