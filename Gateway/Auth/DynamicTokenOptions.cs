namespace OrleansIm.Gateway.Auth;

/// <summary>Dynamic tokens (authType 1), bound from <c>Gateway:DynamicToken</c>. The secret is <c>Gateway:AppSecret</c>.</summary>
public sealed class DynamicTokenOptions
{
    public const string SectionName = "Gateway:DynamicToken";

    /// <summary>Longest ttl a dynamic token may claim; a longer one is refused (a leaked token must not live for ever).</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How far the app server's clock may be off ours, either way: applied to both ends of a token's validity window.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);
}
