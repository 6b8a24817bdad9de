using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// Puts one connection's message pushes back in the order their user grain numbered them (<see cref="MessagePush"/>):
/// one-way calls may arrive out of order. In-order pushes pass straight through; a push ahead of a gap waits. A gap
/// that does not close within the gap timeout (a push lost with a silo or a cluster connection), or more than
/// <paramref name="capacity"/> pushes waiting, ends the order: <paramref name="onBroken"/> runs once and the owner
/// closes the connection so the client reconnects and resyncs. Thread-safe; release runs under the lock, so it
/// must only queue (it does: frames go to the connection's outgoing queue).
/// </summary>
public sealed class MessagePushOrder(int capacity, TimeSpan gapTimeout, Action<ChatMessage> release, Action onBroken)
{
    /// <summary>Pushes that may wait behind a gap: as many frames as a connection's outgoing queue holds by default.</summary>
    public const int DefaultCapacity = 1024;

    /// <summary>Old streams remembered so that their late pushes are released, not mistaken for a new stream.</summary>
    private const int RetiredStreamsKept = 8;

    private readonly Lock _gate = new();
    // Made at the first gap and the first new stream: most connections never see either (issue 12: idle sockets).
    private Dictionary<long, ChatMessage>? _waiting;
    private Queue<long>? _retired;
    private long _stream;
    private long _next = 1;
    private long _nextWhenGapTimerStarted;
    private Timer? _gapTimer;
    private long _gapTimerGeneration; // a callback of a timer stopped meanwhile sees another generation and does nothing
    private bool _broken;

    public void Accept(MessagePush push)
    {
        var broken = false;
        lock (_gate)
        {
            if (_broken) return;
            if (push.Stream != _stream)
            {
                if (_retired?.Contains(push.Stream) == true)
                {
                    release(push.Message); // a straggler of a stream already replaced: late, but not lost
                    return;
                }
                StartStream(push.Stream);
            }

            if (push.Number == _next)
            {
                release(push.Message);
                _next++;
                while (_waiting?.Remove(_next, out var waiting) == true)
                {
                    release(waiting);
                    _next++;
                }
                if (_waiting is not { Count: > 0 }) StopGapTimer();
            }
            else if (push.Number > _next)
            {
                _waiting ??= [];
                if (_waiting.Count >= capacity) broken = Break();
                else
                {
                    _waiting[push.Number] = push.Message;
                    _gapTimer ??= StartGapTimer();
                }
            }
            // Below _next: already released; a stream never repeats a number, so there is nothing to do.
        }
        if (broken) onBroken();
    }

    /// <summary>A new stream (the device registered afresh): whatever the old one still holds goes first, gaps and all.</summary>
    private void StartStream(long stream)
    {
        if (_waiting is not null)
        {
            foreach (var number in _waiting.Keys.Order()) release(_waiting[number]);
            _waiting.Clear();
        }
        StopGapTimer();
        if (_stream != 0)
        {
            _retired ??= new Queue<long>(RetiredStreamsKept + 1);
            _retired.Enqueue(_stream);
            if (_retired.Count > RetiredStreamsKept) _retired.Dequeue();
        }
        _stream = stream;
        _next = 1;
    }

    private Timer StartGapTimer()
    {
        _nextWhenGapTimerStarted = _next;
        var generation = ++_gapTimerGeneration;
        return new Timer(_ => OnGapTimer(generation), null, gapTimeout, Timeout.InfiniteTimeSpan);
    }

    private void StopGapTimer()
    {
        _gapTimerGeneration++;
        _gapTimer?.Dispose();
        _gapTimer = null;
    }

    /// <summary>Still waiting after a whole timeout without progress: the missing push is lost.</summary>
    private void OnGapTimer(long generation)
    {
        var broken = false;
        lock (_gate)
        {
            if (generation != _gapTimerGeneration) return;
            StopGapTimer();
            if (_broken || _waiting is not { Count: > 0 }) return;
            if (_next == _nextWhenGapTimerStarted) broken = Break();
            else _gapTimer = StartGapTimer();
        }
        if (broken) onBroken();
    }

    private bool Break()
    {
        _broken = true;
        _waiting?.Clear();
        StopGapTimer();
        return true;
    }
}
