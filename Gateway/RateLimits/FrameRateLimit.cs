using System.Threading.RateLimiting;

namespace OrleansIm.Gateway.RateLimits;

/// <summary>
/// The frame limit of one connection (/ws or STOMP): a token bucket for frames and a fixed window counting the frames it
/// refused. Both replenish on use (no timer per connection) and are created at the connection's first frame, so an
/// idle socket holds none (~0.4 KB each); the connection disposes them when it ends.
/// </summary>
public sealed class FrameRateLimit(RateLimitOptions options) : IDisposable
{
    private TokenBucketRateLimiter? _frames;
    private FixedWindowRateLimiter? _rejections;
    private bool _disposed;

    /// <summary>Counts one frame. Called by the connection's single reader, one frame at a time.</summary>
    public FrameAdmission Admit()
    {
        var limit = options.FramesPerConnection;
        if (!limit.Enabled || _disposed) return FrameAdmission.Accept;
        _frames ??= new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.TokenLimit,
            TokensPerPeriod = limit.TokensPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        });
        _frames.TryReplenish();
        using var lease = _frames.AttemptAcquire();
        if (lease.IsAcquired) return FrameAdmission.Accept;

        var retryAfter = TokenBuckets.RetryAfter(lease);
        if (options.FrameRejectionsBeforeClose <= 0) return new FrameAdmission(FrameVerdict.Refuse, retryAfter);
        _rejections ??= new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.FrameRejectionsBeforeClose,
            Window = options.FrameRejectionWindow,
            QueueLimit = 0,
            AutoReplenishment = false,
        });
        _rejections.TryReplenish();
        using var rejection = _rejections.AttemptAcquire();
        return new FrameAdmission(rejection.IsAcquired ? FrameVerdict.Refuse : FrameVerdict.Close, retryAfter);
    }

    public void Dispose()
    {
        _disposed = true;
        _frames?.Dispose();
        _rejections?.Dispose();
    }
}
