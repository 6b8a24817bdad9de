using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrleansIm.Gateway.RateLimits;

/// <summary>
/// File upload limits of this gateway: per client address (<see cref="RateLimitOptions.UploadsPerAddress"/>, loopback
/// exempt when <see cref="RateLimitOptions.ExemptLoopback"/>) and per user id for token uploads
/// (<see cref="RateLimitOptions.UploadsPerUser"/>). Checked after authentication and before any byte of the file is read.
/// </summary>
public sealed class UploadRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perUser;

    public UploadRateLimits(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        ExemptLoopback = limits.ExemptLoopback;
        _perAddress = PartitionedRateLimiter.Create<string, string>(address => TokenBuckets.Partition(address, limits.UploadsPerAddress));
        _perUser = PartitionedRateLimiter.Create<string, string>(userId => TokenBuckets.Partition(userId, limits.UploadsPerUser));
    }

    public bool ExemptLoopback { get; }

    /// <summary>Takes one upload of the address's and the user's budgets (either may be null: not counted); null if allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(string? addressKey, string? userId)
    {
        if (addressKey is not null)
        {
            using var address = _perAddress.AttemptAcquire(addressKey);
            if (!address.IsAcquired) return TokenBuckets.RetryAfter(address);
        }
        if (userId is not null)
        {
            using var user = _perUser.AttemptAcquire(userId);
            if (!user.IsAcquired) return TokenBuckets.RetryAfter(user);
        }
        return null;
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _perUser.Dispose();
    }
}
