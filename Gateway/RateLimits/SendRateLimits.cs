using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrleansIm.Gateway.RateLimits;

/// <summary>
/// msg.send limits per user id on this gateway (every connection of the user on this gateway shares them): a count and a
/// size-weighted budget (<see cref="RateLimitOptions.SendsPerUser"/>, <see cref="RateLimitOptions.SendCharactersPerUser"/>).
/// Partitions of users who stopped sending are dropped by the partitioned limiter once their buckets are full again.
/// </summary>
public sealed class SendRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _sends;
    private readonly PartitionedRateLimiter<string> _characters;
    private readonly int _maxWeight;

    public SendRateLimits(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        _sends = PartitionedRateLimiter.Create<string, string>(userId => TokenBuckets.Partition(userId, limits.SendsPerUser));
        _characters = PartitionedRateLimiter.Create<string, string>(userId => TokenBuckets.Partition(userId, limits.SendCharactersPerUser));
        // A single message may weigh more than a configured burst; it then takes the whole burst rather than never passing.
        _maxWeight = limits.SendCharactersPerUser.Enabled ? limits.SendCharactersPerUser.TokenLimit : int.MaxValue;
    }

    /// <summary>Takes one send and <paramref name="weight"/> characters of the user's budgets; null if allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(string userId, int weight)
    {
        using (var send = _sends.AttemptAcquire(userId))
        {
            if (!send.IsAcquired) return TokenBuckets.RetryAfter(send);
        }
        using var characters = _characters.AttemptAcquire(userId, Math.Clamp(weight, 1, _maxWeight));
        return characters.IsAcquired ? null : TokenBuckets.RetryAfter(characters);
    }

    public void Dispose()
    {
        _sends.Dispose();
        _characters.Dispose();
    }
}
