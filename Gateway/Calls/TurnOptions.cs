namespace OrleansIm.Gateway.Calls;

/// <summary>
/// TURN/STUN servers handed to WebRTC clients (config section "Turn"). Credentials follow coturn's REST scheme
/// (use-auth-secret / static-auth-secret = <see cref="Secret"/>).
/// </summary>
public sealed class TurnOptions
{
    public const string SectionName = "Turn";

    /// <summary>coturn's static-auth-secret. Without it TURN URLs are left out (STUN still works).</summary>
    public string? Secret { get; set; }

    /// <summary>How long issued TURN credentials stay valid.</summary>
    public int TtlSeconds { get; set; } = 86400;

    /// <summary>
    /// e.g. "stun:127.0.0.1:3478", "turn:127.0.0.1:3478?transport=udp". Empty by default: configuration binding
    /// appends to a list, so a non-empty default would be duplicated.
    /// </summary>
    public List<string> Urls { get; set; } = [];
}
