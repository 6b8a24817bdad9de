using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.RateLimits;

/// <summary>A request refused by a rate limit (code 4290); the reply carries <see cref="RetryAfter"/>. Gateway-only, never crosses a grain call.</summary>
public sealed class RateLimitedException(string message, TimeSpan retryAfter) : Exception(message)
{
    public int Code => ImErrorCodes.RateLimited;

    public TimeSpan RetryAfter { get; } = retryAfter;
}
