using System.Threading.RateLimiting;

namespace OrleansIm.Gateway.RateLimits;

/// <summary>
/// The frame limit of one connection (/ws or STOMP): a token bucket for frames and a fixed window counting the frames it
/// refused. Both replenish on use (no timer per connection); the connection disposes it when it ends.
/// </summary>
public sealed class FrameRateLimit : IDisposable
{
    private readonly TokenBucketRateLimiter? _frames;
    private readonly FixedWindowRateLimiter? _rejections;

    public FrameRateLimit(RateLimitOptions options)
    {
        var limit = options.FramesPerConnection;
        if (!limit.Enabled) return;
        _frames = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.TokenLimit,
            TokensPerPeriod = limit.TokensPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        });
        if (options.FrameRejectionsBeforeClose > 0)
        {
            _rejections = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.FrameRejectionsBeforeClose,
                Window = options.FrameRejectionWindow,
                QueueLimit = 0,
                AutoReplenishment = false,
            });
        }
    }

    /// <summary>Counts one frame. Called by the connection's single reader, one frame at a time.</summary>
    public FrameAdmission Admit()
    {
        if (_frames is null) return FrameAdmission.Accept;
        _frames.TryReplenish();
        using var lease = _frames.AttemptAcquire();
        if (lease.IsAcquired) return FrameAdmission.Accept;

        var retryAfter = TokenBuckets.RetryAfter(lease);
        if (_rejections is null) return new FrameAdmission(FrameVerdict.Refuse, retryAfter);
        _rejections.TryReplenish();
        using var rejection = _rejections.AttemptAcquire();
        return new FrameAdmission(rejection.IsAcquired ? FrameVerdict.Refuse : FrameVerdict.Close, retryAfter);
    }

    public void Dispose()
    {
        _frames?.Dispose();
        _rejections?.Dispose();
    }
}
