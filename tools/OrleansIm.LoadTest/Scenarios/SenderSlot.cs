using OrleansIm.LoadTest.Client;

namespace OrleansIm.LoadTest.Scenarios;

/// <summary>One sender: a user's socket sending into one conversation whose other members must receive every message.
/// The socket can be replaced (reconnect storm); sends wait for the new one.</summary>
public sealed class SenderSlot(ImUser user, ImConnection connection, string convId, IReadOnlyList<string> recipients)
{
    private TaskCompletionSource<ImConnection> _replaced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _next;

    public ImUser User { get; } = user;

    public string ConvId { get; } = convId;

    public IReadOnlyList<string> Recipients { get; } = recipients;

    public volatile ImConnection Connection = connection;

    /// <summary>Messages started and not yet acknowledged or failed.</summary>
    public long Outstanding;

    public long NextIndex() => Interlocked.Increment(ref _next);

    /// <summary>Puts a new socket in place of the dropped one and wakes the sends waiting for it.</summary>
    public void Replace(ImConnection connection)
    {
        Connection = connection;
        Interlocked.Exchange(ref _replaced, new TaskCompletionSource<ImConnection>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(connection);
    }

    /// <summary>Waits until <paramref name="lost"/> has been replaced (bounded).</summary>
    public async Task<bool> WaitReplacedAsync(ImConnection lost, TimeSpan timeout)
    {
        var waiting = Volatile.Read(ref _replaced).Task;
        if (Connection != lost) return true;
        try
        {
            await waiting.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
