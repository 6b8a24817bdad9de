using OrleansIm.Runtime.Catalog;

namespace OrleansIm.Runtime.Timers;

/// <summary>
/// A grain timer: each tick enqueues one work item in the activation's mailbox, so the callback runs as a
/// turn. A tick arriving while the previous one is still queued or running is skipped.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Timer _timer;
    private int _queued;
    private volatile bool _disposed;

    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        _activation = activation;
        _callback = callback;
        _timer = new Timer(static state => ((GrainTimer)state!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(dueTime, period <= TimeSpan.Zero ? Timeout.InfiniteTimeSpan : period);
    }

    public bool IsDisposed => _disposed;

    /// <summary>Runs the callback; called by the activation inside a turn.</summary>
    public async Task InvokeAsync()
    {
        try
        {
            if (!_disposed) await _callback(_cancellation.Token);
        }
        finally
        {
            Volatile.Write(ref _queued, 0);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _timer.Dispose();
        _cancellation.Cancel();
        _activation.RemoveTimer(this);
    }

    private void OnTick()
    {
        if (_disposed || Interlocked.CompareExchange(ref _queued, 1, 0) != 0) return;
        if (!_activation.EnqueueTimerTick(this)) Volatile.Write(ref _queued, 0);
    }
}
