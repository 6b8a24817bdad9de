namespace OrleansIm.Gateway.Stomp;

/// <summary>Version and WebSocket subprotocol choice.</summary>
public static class StompNegotiation
{
    public const string SupportedVersions = "1.0,1.1,1.2";

    /// <summary>Subprotocols in order of preference (stomp.js offers v12.stomp, v11.stomp, v10.stomp).</summary>
    public static readonly IReadOnlyList<string> Subprotocols = ["v12.stomp", "v11.stomp", "v10.stomp"];

    /// <summary>The most preferred subprotocol the client offered, or null (accept without one).</summary>
    public static string? ChooseSubprotocol(IEnumerable<string> offered)
    {
        var set = offered.Select(p => p.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Subprotocols.FirstOrDefault(set.Contains);
    }

    /// <summary>
    /// Highest common version; no accept-version header means a 1.0 client, answered as 1.2 is a superset on our
    /// side (we never send what 1.0 could not parse). Null if the client offers none of ours.
    /// </summary>
    public static string? ChooseVersion(string? acceptVersion)
    {
        if (string.IsNullOrWhiteSpace(acceptVersion)) return "1.2";
        var offered = acceptVersion.Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
        return new[] { "1.2", "1.1", "1.0" }.FirstOrDefault(offered.Contains);
    }
}
