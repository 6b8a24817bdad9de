namespace OrleansIm.Gateway.Auth;

/// <summary>Third-party callback login (authType 2), bound from <c>Gateway:AuthCallback</c>. Requests are signed with <c>Gateway:AppSecret</c>.</summary>
public sealed class AuthCallbackOptions
{
    public const string SectionName = "Gateway:AuthCallback";

    /// <summary>The app server's URL the gateway POSTs each callback login to. Null = authType 2 is refused.</summary>
    public string? Url { get; set; }

    /// <summary>Longest wait for the app server's answer; past it the login fails with 503 / code 5030, never hangs.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Largest answer read from the app server; a bigger one counts as the app server failing.</summary>
    public int MaxResponseBytes { get; set; } = 16 * 1024;
}
