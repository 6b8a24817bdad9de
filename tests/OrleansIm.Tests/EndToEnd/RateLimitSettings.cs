namespace OrleansIm.Tests.EndToEnd;

/// <summary>Configuration for nodes whose rate limits the tests trip on purpose; loopback (the tests' address) is not exempt.</summary>
public static class RateLimitSettings
{
    public const string Section = "Gateway:RateLimits";

    /// <summary>Every limit off (TokenLimit 0), loopback not exempt, then <paramref name="limits"/> ("Name" → (burst, per second)).</summary>
    public static Dictionary<string, string?> Only(params (string Name, int TokenLimit, int TokensPerSecond)[] limits)
    {
        var settings = new Dictionary<string, string?> { [$"{Section}:ExemptLoopback"] = "false" };
        foreach (var name in new[] { "ServerApiPerAddress", "ServerApiPerAppKey", "ConnectionsPerAddress", "FramesPerConnection", "SendsPerUser", "SendCharactersPerUser", "UploadsPerAddress", "UploadsPerUser" })
            settings[$"{Section}:{name}:TokenLimit"] = "0";
        foreach (var (name, tokenLimit, perSecond) in limits)
        {
            settings[$"{Section}:{name}:TokenLimit"] = tokenLimit.ToString();
            settings[$"{Section}:{name}:TokensPerSecond"] = perSecond.ToString();
        }
        return settings;
    }
}
