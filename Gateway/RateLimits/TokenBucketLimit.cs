namespace OrleansIm.Gateway.RateLimits;

/// <summary>
/// One token bucket of <see cref="RateLimitOptions"/>: up to <see cref="TokenLimit"/> permits at once (the burst),
/// refilled at <see cref="TokensPerSecond"/>. A <see cref="TokenLimit"/> of 0 turns the limit off.
/// </summary>
public sealed class TokenBucketLimit
{
    public TokenBucketLimit()
    {
    }

    public TokenBucketLimit(int tokenLimit, int tokensPerSecond)
    {
        TokenLimit = tokenLimit;
        TokensPerSecond = tokensPerSecond;
    }

    /// <summary>Permits available at once (a quiet client may burst this many); 0 = unlimited.</summary>
    public int TokenLimit { get; set; }

    /// <summary>Permits added back per second, up to <see cref="TokenLimit"/>.</summary>
    public int TokensPerSecond { get; set; }

    public bool Enabled => TokenLimit > 0;

    public override string ToString() => Enabled ? $"{TokenLimit} burst, {TokensPerSecond}/s" : "off";
}
