namespace OrleansIm.Gateway.RateLimits;

/// <summary>What to do with one incoming socket frame: handle it, refuse it (answer with a retry-after), or close the connection.</summary>
public readonly record struct FrameAdmission(FrameVerdict Verdict, TimeSpan RetryAfter)
{
    public static FrameAdmission Accept { get; } = new(FrameVerdict.Accept, TimeSpan.Zero);

    /// <summary>Whole milliseconds, at least 1, for the client-visible retry-after fields.</summary>
    public long RetryAfterMs => RetryAfterMilliseconds(RetryAfter);

    public static long RetryAfterMilliseconds(TimeSpan retryAfter) => Math.Max(1, (long)Math.Ceiling(retryAfter.TotalMilliseconds));
}
