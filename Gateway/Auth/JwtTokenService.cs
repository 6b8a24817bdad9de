using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Auth;

/// <summary>
/// HS256 JWTs written by hand (seed 003: HMAC SHA256). Claims: sub (user id), iat, exp (unix seconds), gen (the user's
/// token generation: a refresh or revoke-all through the server API moves it on, and older tokens stop connecting).
/// Tokens are handed out as "Bearer &lt;jwt&gt;" (seed 000) and accepted with or without that prefix.
/// </summary>
public sealed class JwtTokenService
{
    public const string BearerPrefix = "Bearer ";

    // Fixed header; validation still parses the received one so a token with another alg is refused.
    private static readonly string EncodedHeader = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);

    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public JwtTokenService(string secret, TimeSpan lifetime, TimeProvider? time = null)
    {
        if (string.IsNullOrEmpty(secret)) throw new ArgumentException("The JWT secret must not be empty.", nameof(secret));
        _key = Encoding.UTF8.GetBytes(secret);
        _lifetime = lifetime;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A signed token for the user in token generation <paramref name="generation"/>, with the "Bearer " prefix.</summary>
    public string Issue(string userId, long generation = 0)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["iat"] = now,
            ["exp"] = now + (long)_lifetime.TotalSeconds,
            ["gen"] = generation,
        });
        var signingInput = EncodedHeader + "." + Base64Url.EncodeToString(payload);
        return BearerPrefix + signingInput + "." + Base64Url.EncodeToString(Sign(signingInput));
    }

    /// <summary>The token's claims if it is well-formed, correctly signed, unexpired and names a valid user id; else null.</summary>
    public TokenClaims? Validate(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return null;
        token = token.Trim();
        if (token.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)) token = token[BearerPrefix.Length..].Trim();
        if (token.Length > 4096) return null;

        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var signature = Base64Url.DecodeFromChars(parts[2]);
            if (!CryptographicOperations.FixedTimeEquals(signature, Sign(parts[0] + "." + parts[1]))) return null;

            using (var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])))
            {
                if (header.RootElement.ValueKind != JsonValueKind.Object
                    || !header.RootElement.TryGetProperty("alg", out var alg)
                    || alg.ValueKind != JsonValueKind.String
                    || alg.GetString() != "HS256") return null;
            }

            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var root = payload.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (!root.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String) return null;
            if (!root.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expires)) return null;
            var issued = root.TryGetProperty("iat", out var iat) && iat.TryGetInt64(out var i) ? i : 0;
            // Absent in tokens issued before generations existed: those belong to generation 0.
            long generation = 0;
            if (root.TryGetProperty("gen", out var gen) && (gen.ValueKind != JsonValueKind.Number || !gen.TryGetInt64(out generation) || generation < 0)) return null;
            var userId = sub.GetString();
            if (!UserIds.IsValid(userId)) return null;
            if (_time.GetUtcNow().ToUnixTimeSeconds() >= expires) return null;
            return new TokenClaims(userId!, issued, expires, generation);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    private byte[] Sign(string signingInput) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(signingInput));
}
