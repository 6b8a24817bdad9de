namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// When a connection re-registers with its user grain (both dialects, from their tick): every refresh interval, or at
/// the next tick once requested; one refresh at a time; and none once the connection has stopped, so a late refresh
/// cannot register a closed connection again after its cleanup unregistered it.
/// </summary>
public sealed class RefreshSchedule(TimeSpan interval)
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Stopped = 2;

    private readonly long _intervalMs = (long)interval.TotalMilliseconds;
    private long _nextMs = Environment.TickCount64 + (long)interval.TotalMilliseconds;
    private int _requested;
    private int _state;

    /// <summary>Refresh at the next tick (the cluster changed: the user grain may have moved and lost its device list).</summary>
    public void Request() => Interlocked.Exchange(ref _requested, 1);

    /// <summary>True when a refresh is due and may start now; the caller starts it and calls <see cref="Finish"/> when it ends.</summary>
    public bool TryStart(long nowMs)
    {
        if (nowMs < Volatile.Read(ref _nextMs) && Volatile.Read(ref _requested) == 0) return false;
        if (Interlocked.CompareExchange(ref _state, Running, Idle) != Idle) return false;
        Interlocked.Exchange(ref _requested, 0);
        Volatile.Write(ref _nextMs, nowMs + _intervalMs);
        return true;
    }

    public void Finish() => Interlocked.CompareExchange(ref _state, Idle, Running);

    /// <summary>No refresh starts after this; completes once the one running (if any) has finished.</summary>
    public async Task StopAsync()
    {
        while (Interlocked.CompareExchange(ref _state, Stopped, Idle) == Running) await Task.Delay(10);
    }
}
