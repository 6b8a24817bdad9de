using System.Threading.RateLimiting;

namespace OrleansIm.Gateway.RateLimits;

/// <summary>Turns a <see cref="TokenBucketLimit"/> into a partition of a System.Threading.RateLimiting partitioned limiter.</summary>
public static class TokenBuckets
{
    /// <summary>
    /// A token bucket for <paramref name="key"/>, or no limiter when the limit is off. Never queues: a request over the limit
    /// is refused at once with a retry-after. Replenished by the partitioned limiter's own timer (AutoReplenishment off),
    /// so thousands of partitions cost no timer each.
    /// </summary>
    public static RateLimitPartition<string> Partition(string key, TokenBucketLimit limit) =>
        limit.Enabled
            ? RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit.TokenLimit,
                TokensPerPeriod = limit.TokensPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = false,
            })
            : RateLimitPartition.GetNoLimiter(key);

    /// <summary>How long a refused lease says to wait; one second when the limiter gives no estimate.</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);
}
