using System.Security.Cryptography;
using System.Text;

namespace OrleansIm.Gateway.Auth;

/// <summary>The app's id and key, checked on every server-side API call.</summary>
public sealed class AppCredentials(string appId, string appKey)
{
    public string AppId { get; } = appId;

    public string AppKey { get; } = appKey;

    /// <summary>Constant-time compare so the key cannot be guessed byte by byte from response times.</summary>
    public bool KeyMatches(string? candidate) => candidate is not null && FixedTimeEquals(candidate, AppKey);

    public bool Matches(string? appId, string? appKey) =>
        appId is not null && FixedTimeEquals(appId, AppId) & KeyMatches(appKey);

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
