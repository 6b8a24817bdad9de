using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace OrleansIm.Gateway.Auth;

/// <summary>
/// Resolves the app key and JWT secret at startup. A standalone node may run unconfigured (seed example key,
/// a generated secret persisted at &lt;dataDir&gt;/jwt-secret so tokens survive restarts) but says so loudly, and
/// then listens on loopback only (<see cref="UsesExampleAppKey"/>); any other mode refuses to start without explicit
/// secrets. In every mode a JWT secret shorter than <see cref="MinJwtSecretBytes"/> bytes or an app key shorter than
/// <see cref="MinAppKeyLength"/> characters is refused, whether configured or read from the secret file. The app
/// secret (dynamic tokens, callback signatures) is optional and never generated: an app server must share it.
/// </summary>
public sealed class GatewaySecrets
{
    /// <summary>Seed 000's example app key (application-common.yml: im.app-key).</summary>
    public const string SeedExampleAppKey = "keyAbcd123";
    public const string SecretFileName = "jwt-secret";

    /// <summary>HS256 keys shorter than the hash (32 bytes) weaken it (RFC 7518 §3.2).</summary>
    public const int MinJwtSecretBytes = 32;

    /// <summary>An app key is a password for the whole server API; the seed's example has 10 characters.</summary>
    public const int MinAppKeyLength = 8;

    /// <summary>The app secret keys HMAC-SHA256 for dynamic tokens and callback signatures; short ones are guessable offline.</summary>
    public const int MinAppSecretLength = 16;

    public required string AppKey { get; init; }
    public required string JwtSecret { get; init; }

    /// <summary>Gateway:AppSecret, or null when not configured (no fallback: an app server must know it, so it is never generated).</summary>
    public string? AppSecret { get; init; }

    public static GatewaySecrets Resolve(GatewayOptions options, IConfiguration configuration, ILogger logger)
    {
        var mode = configuration["OrleansIm:Mode"];
        var standalone = string.IsNullOrWhiteSpace(mode) || string.Equals(mode, "standalone", StringComparison.OrdinalIgnoreCase);
        var appKey = string.IsNullOrWhiteSpace(options.AppKey) ? null : options.AppKey;
        var jwtSecret = string.IsNullOrWhiteSpace(options.JwtSecret) ? null : options.JwtSecret;

        if (!standalone && (appKey is null || jwtSecret is null))
        {
            throw new InvalidOperationException(
                $"OrleansIm:Mode is '{mode}': Gateway:AppKey and Gateway:JwtSecret must be configured explicitly " +
                "(only a standalone node may fall back to generated/example secrets). Missing: " +
                string.Join(", ", new[] { appKey is null ? "Gateway:AppKey" : null, jwtSecret is null ? "Gateway:JwtSecret" : null }.OfType<string>()) + ".");
        }

        if (appKey is null)
        {
            appKey = SeedExampleAppKey;
            logger.LogWarning("!!! Gateway:AppKey is not configured: using the seed's example key '{AppKey}', so this node listens on 127.0.0.1 only, whatever Gateway:Host says. Configure Gateway:AppKey to serve other machines. !!!", appKey);
        }

        if (jwtSecret is null)
        {
            var dataDirectory = configuration["Storage:DataDirectory"] is { Length: > 0 } d ? d : "data";
            var path = Path.Combine(Path.GetFullPath(dataDirectory), SecretFileName);
            jwtSecret = LoadOrCreateSecret(path);
            logger.LogWarning("!!! Gateway:JwtSecret is not configured: signing tokens with a generated secret stored at {Path}. Configure Gateway:JwtSecret for any shared deployment. !!!", path);
        }

        if (System.Text.Encoding.UTF8.GetByteCount(jwtSecret) < MinJwtSecretBytes)
            throw new InvalidOperationException($"The JWT secret must be at least {MinJwtSecretBytes} bytes (Gateway:JwtSecret, or the {SecretFileName} file in the data directory).");
        if (appKey.Length < MinAppKeyLength)
            throw new InvalidOperationException($"Gateway:AppKey must be at least {MinAppKeyLength} characters.");
        var appSecret = string.IsNullOrWhiteSpace(options.AppSecret) ? null : options.AppSecret;
        if (appSecret is not null && appSecret.Length < MinAppSecretLength)
            throw new InvalidOperationException($"Gateway:AppSecret must be at least {MinAppSecretLength} characters.");
        if (appSecret is not null && appSecret == appKey)
            throw new InvalidOperationException("Gateway:AppSecret must differ from Gateway:AppKey (the app key travels in requests, the secret never does).");
        return new GatewaySecrets { AppKey = appKey, JwtSecret = jwtSecret, AppSecret = appSecret };
    }

    /// <summary>
    /// True when a node would run with the seed's example app key, which the README prints: such a node must not be
    /// reachable from other machines, so it listens on loopback whatever Gateway:Host says.
    /// </summary>
    public static bool UsesExampleAppKey(GatewayOptions options) => string.IsNullOrWhiteSpace(options.AppKey);

    private static string LoadOrCreateSecret(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0) return existing;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        try
        {
            // CreateNew: if a concurrent start won the race, use its secret instead of overwriting it.
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(path, fileOptions);
            using var writer = new StreamWriter(stream);
            writer.Write(secret);
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
    }
}
