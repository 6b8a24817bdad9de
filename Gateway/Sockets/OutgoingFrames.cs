using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// The send side of one client socket, the same for both dialects: a queue bounded in frames and in bytes, drained
/// by one sender at a time whose every send has a timeout, and the close (code, reason) that ends it. A client that
/// stops reading cannot grow the gateway's memory: when its queue is full the queued frames are dropped and the
/// socket is closed with <see cref="WebSocketCloseCodes.NotReading"/>; when one send makes no progress for the send
/// timeout the socket is aborted (checked by the connection's tick, <see cref="CheckSendTimeout"/>: no timer per send).
/// <para>
/// There is no write loop waiting on the queue: the thread that queues a frame onto an idle socket sends it itself,
/// and goes on sending what others queue meanwhile, until a send has to wait (then the rest continues on the thread
/// pool) or it has sent <see cref="InlineSendsPerTurn"/> frames. One frame then costs no thread-pool wake-up of its
/// own — a chat message's ack and push were two of the ~14 work items a message took. A send into the transport
/// only copies into its buffer; it never blocks the thread.
/// </para>
/// </summary>
public sealed class OutgoingFrames
{
    /// <summary>Frames one caller sends before the rest of the queue goes on on the thread pool (a caller fanning a
    /// frame out to many sockets must not end up draining one busy socket's queue for others).</summary>
    public const int InlineSendsPerTurn = 32;

    /// <summary>
    /// How long the send in progress must have waited before a queue past its frame limit counts as a client that does
    /// not read. A queue also grows while the gateway itself is behind (a cold node under an open-loop flood queued
    /// 1,024 frames on sockets whose clients read everything in the end); then its sends still complete, and only the
    /// byte limit applies. A client that stops reading stalls the send once the TCP window and the transport's buffer
    /// are full.
    /// </summary>
    public static readonly TimeSpan StalledSendForFrameLimit = TimeSpan.FromSeconds(1);

    private readonly Queue<byte[]> _queue = new();
    private readonly Lock _lock = new();
    private readonly OutgoingLimits _limits;
    private readonly ILogger _logger;
    private readonly string _connection;
    private readonly byte[]? _notReadingFrame;
    // Completes when the write side is over (close sent, or the socket failed); asynchronously, so what awaits it
    // never runs inside a caller of TryEnqueue.
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocket? _socket;
    private bool _sending;
    private bool _closing;
    private int _closeCode = WebSocketCloseCodes.Normal;
    private string _closeReason = "";
    // Frames and bytes queued or being sent: a frame counts until its send completes.
    private int _queuedFrames;
    private long _queuedBytes;
    private long _peakQueuedBytes;
    // When the send in progress started (Environment.TickCount64), 0 while none is.
    private long _sendStartedMs;

    /// <param name="connection">How logs name this connection: its id, a string it already has (the connection's log scope
    /// names its user; a name made here for each socket was ~100 B of every idle socket, issue 12).</param>
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
    /// Queues a frame (and sends it, if the socket is idle). A frame that would take the queue past its byte limit, or
    /// past its frame limit while a send is stalled (<see cref="StalledSendForFrameLimit"/>), means the client is not
    /// reading: the queued frames are dropped and the socket closes with <see cref="WebSocketCloseCodes.NotReading"/>.
    /// A frame is always accepted onto an empty queue, so one large frame cannot wedge a client that reads.
    /// </summary>
    public bool TryEnqueue(byte[] frame)
    {
        bool accepted, send;
        long dropped = 0;
        lock (_lock)
        {
            if (_closing) return false;
            accepted = _queuedFrames == 0 || (_queuedBytes + frame.Length <= _limits.MaxBytes
                && (_queuedFrames < _limits.MaxFrames || !SendWaitedLongerThan(StalledSendForFrameLimit, Environment.TickCount64)));
            if (accepted)
            {
                Add(frame);
                _queue.Enqueue(frame);
            }
            else
            {
                _closing = true;
                _closeCode = WebSocketCloseCodes.NotReading;
                _closeReason = "not reading";
                dropped = _queuedBytes;
                // Frames still queued will never be read in time: free them now. The one being sent stays counted until its send ends.
                while (_queue.TryDequeue(out var queued)) Remove(queued);
                if (_notReadingFrame is not null)
                {
                    Add(_notReadingFrame);
                    _queue.Enqueue(_notReadingFrame);
                }
            }
            send = TryStartSending();
        }
        if (send) _ = SendQueuedAsync();
        if (!accepted)
        {
            _logger.LogWarning("Connection {Connection} is not reading its frames ({Bytes} bytes queued); closing it with {Code}",
                _connection, dropped, WebSocketCloseCodes.NotReading);
        }
        return accepted;
    }

    /// <summary>Sends <paramref name="finalFrame"/> (if any) after what is already queued, then closes with <paramref name="code"/>. Idempotent.</summary>
    public void Close(int code, string reason, byte[]? finalFrame = null)
    {
        bool send;
        lock (_lock)
        {
            if (_closing) return;
            _closing = true;
            _closeCode = code;
            _closeReason = reason;
            if (finalFrame is not null)
            {
                Add(finalFrame);
                _queue.Enqueue(finalFrame);
            }
            send = TryStartSending();
        }
        if (send) _ = SendQueuedAsync();
    }

    /// <summary>
    /// Starts sending on <paramref name="socket"/> (what was queued before goes first) and completes when the write
    /// side is over: every queued frame and the close frame sent, or the socket aborted. A send that makes no progress
    /// for the send timeout aborts the socket: the client is not reading and nothing more can reach it.
    /// </summary>
    public Task SendUntilClosedAsync(WebSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        bool send;
        lock (_lock)
        {
            if (_socket is not null) throw new InvalidOperationException("The write side has already started.");
            _socket = socket;
            send = TryStartSending();
        }
        if (send) _ = SendQueuedAsync();
        return _finished.Task;
    }

    /// <summary>Under the lock: whether the caller is to start sending (a socket, something to send, nobody sending).</summary>
    private bool TryStartSending()
    {
        if (_socket is null || _sending || _finished.Task.IsCompleted) return false;
        if (_queue.Count == 0 && !_closing) return false;
        _sending = true;
        return true;
    }

    /// <summary>The one sender at a time: queued frames in order, then (once closing and drained) the close frame.</summary>
    private async Task SendQueuedAsync()
    {
        var socket = _socket!;
        try
        {
            var sent = 0;
            while (true)
            {
                if (sent++ == InlineSendsPerTurn)
                {
                    // The rest goes on on the thread pool, still as the one sender (_sending stays set).
                    _ = Task.Run(SendQueuedAsync);
                    return;
                }
                byte[]? frame;
                int code;
                string reason;
                lock (_lock)
                {
                    if (!_queue.TryDequeue(out frame) && !_closing)
                    {
                        _sending = false;
                        return;
                    }
                    code = _closeCode;
                    reason = _closeReason;
                }

                if (frame is null)
                {
                    await CloseOutputAsync(socket, code, reason).ConfigureAwait(false);
                    break;
                }
                await SendAsync(socket, frame).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _logger.LogDebug(e, "Connection {Connection} write side ended", _connection);
            socket.Abort();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Connection {Connection} write side failed", _connection);
            socket.Abort();
        }
        Finish();
    }

    private async Task SendAsync(WebSocket socket, byte[] frame)
    {
        Volatile.Write(ref _sendStartedMs, Environment.TickCount64);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _sendStartedMs, 0);
            lock (_lock) Remove(frame);
        }
    }

    /// <summary>True while the send in progress started more than <paramref name="limit"/> before <paramref name="nowMs"/>.</summary>
    private bool SendWaitedLongerThan(TimeSpan limit, long nowMs)
    {
        var started = Volatile.Read(ref _sendStartedMs);
        return started != 0 && nowMs - started > (long)limit.TotalMilliseconds;
    }

    /// <summary>
    /// Aborts the socket if the send in progress started more than the send timeout before <paramref name="nowMs"/>
    /// (<see cref="Environment.TickCount64"/>): the client's TCP window stayed shut, it is not reading, and nothing
    /// more can reach it. Called periodically; a send that ends in time is never affected.
    /// </summary>
    public void CheckSendTimeout(long nowMs)
    {
        if (!SendWaitedLongerThan(_limits.SendTimeout, nowMs)) return;
        WebSocket? socket;
        lock (_lock) socket = _socket;
        if (socket is null || socket.State == WebSocketState.Aborted) return;
        _logger.LogWarning("Connection {Connection}: a send made no progress for {SendTimeout}; aborting it", _connection, _limits.SendTimeout);
        socket.Abort();
    }

    private async Task CloseOutputAsync(WebSocket socket, int code, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(_limits.CloseTimeout);
        await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>The write side is over: nothing will send what is left, so it is freed.</summary>
    private void Finish()
    {
        lock (_lock)
        {
            _closing = true;
            _sending = false;
            while (_queue.TryDequeue(out var queued)) Remove(queued);
        }
        _finished.TrySetResult();
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
