namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// Counts the frames a connection is handling, so a drain can stop new ones and wait for the rest: a
/// <c>msg.send</c> being handled gets its ack (sent after the durable write) before the socket closes. Both dialects.
/// </summary>
public sealed class InFlightFrames
{
    // Made by the drain (or the last frame finishing after it): a connection that is never drained needs none.
    private TaskCompletionSource? _idle;
    private int _count;
    private volatile bool _stopped;

    /// <summary>True once <see cref="StopAsync"/> was called: new frames are not handled.</summary>
    public bool IsStopped => _stopped;

    /// <summary>Counts a frame in; false (and nothing counted) once stopped. Pair a true with <see cref="Finish"/>.</summary>
    public bool TryStart()
    {
        // Counted first, then the flag read: StopAsync sets the flag, then reads the count, so either this frame
        // sees the flag and backs out, or the drain sees the frame and waits for it.
        Interlocked.Increment(ref _count);
        if (!_stopped) return true;
        Finish();
        return false;
    }

    public void Finish()
    {
        if (Interlocked.Decrement(ref _count) == 0 && _stopped) Idle.TrySetResult();
    }

    /// <summary>Stops admitting frames; completes when none is being handled. Idempotent.</summary>
    public Task StopAsync()
    {
        _stopped = true;
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _count) == 0) Idle.TrySetResult();
        return Idle.Task;
    }

    private TaskCompletionSource Idle =>
        LazyInitializer.EnsureInitialized(ref _idle, static () => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
