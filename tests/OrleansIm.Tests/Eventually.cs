namespace OrleansIm.Tests;

/// <summary>Waits for a condition with a deadline instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Condition not met in time{(because is null ? "" : ": " + because)}.");
            await Task.Delay(20);
        }
    }

    public static Task True(Func<bool> condition, TimeSpan? timeout = null, string? because = null) =>
        True(() => Task.FromResult(condition()), timeout, because);
}
