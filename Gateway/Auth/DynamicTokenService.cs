using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrleansIm.Gateway.Auth;

/// <summary>
/// Dynamic tokens (seed 002, authType 1), computed by the app server:
/// <c>token = curTime + "." + ttl + "." + hex(HMAC-SHA256(appSecret, appKey + ":" + account + ":" + curTime + ":" + ttl))</c>,
/// curTime and ttl in decimal unix seconds, hex lower case (upper case accepted). Valid from curTime − ClockSkew until
/// curTime + ttl + ClockSkew, for 1 ≤ ttl ≤ MaxTtl. docs/protocol.md § 1 has a worked example.
/// </summary>
public sealed class DynamicTokenService(string appKey, string? appSecret, DynamicTokenOptions options, TimeProvider time)
{
    private const int SignatureHexLength = 64;

    private readonly byte[]? _key = appSecret is null ? null : Encoding.UTF8.GetBytes(appSecret);

    /// <summary>False without <c>Gateway:AppSecret</c>: then every dynamic token is refused.</summary>
    public bool Enabled => _key is not null;

    /// <summary>A dynamic token for the account, as an app server computes it (tests and tools use this).</summary>
    public string Compute(string account, long curTime, long ttl)
    {
        if (_key is null) throw new InvalidOperationException("Gateway:AppSecret is not configured.");
        return string.Create(CultureInfo.InvariantCulture, $"{curTime}.{ttl}.{Convert.ToHexStringLower(Sign(account, curTime, ttl))}");
    }

    /// <summary>Null if the token is valid for the account now; else why not (a message for the client).</summary>
    public string? Check(string account, string? token)
    {
        if (_key is null) return "Dynamic tokens (authType 1) are not enabled on this server.";
        if (string.IsNullOrWhiteSpace(token) || token.Length > 128) return "token is missing or malformed.";
        var parts = token.Trim().Split('.');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var curTime)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ttl)
            || parts[2].Length != SignatureHexLength)
            return "token is malformed: expected curTime.ttl.signature.";
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(parts[2]);
        }
        catch (FormatException)
        {
            return "token is malformed: the signature is not hex.";
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(account, curTime, ttl))) return "token signature is wrong.";

        if (ttl < 1 || ttl > (long)options.MaxTtl.TotalSeconds) return $"token ttl must be 1 to {(long)options.MaxTtl.TotalSeconds} seconds.";
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var skew = (long)options.ClockSkew.TotalSeconds;
        if (curTime - skew > now) return "token curTime is in the future.";
        // curTime + ttl cannot overflow: both were parsed as non-negative and ttl is bounded above.
        if (now >= curTime + ttl + skew) return "token expired.";
        return null;
    }

    private byte[] Sign(string account, long curTime, long ttl) =>
        HMACSHA256.HashData(_key!, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{appKey}:{account}:{curTime}:{ttl}")));
}
