using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using OrleansIm.Gateway.Auth;

namespace OrleansIm.Gateway.Admin;

/// <summary>
/// The admin key (<c>Gateway:AdminKey</c>), a secret of its own: the app key never opens the admin API. There is no
/// default: without a configured key the admin API is disabled. A key shorter than <see cref="MinKeyLength"/> characters,
/// or equal to the app key (or to the seed's example app key), stops the node at start-up.
/// </summary>
public sealed class AdminCredentials
{
    public const string SettingName = "Gateway:AdminKey";

    /// <summary>The admin API's key header.</summary>
    public const string KeyHeader = "X-Admin-Key";

    /// <summary>The admin key opens user data and bans of every user: longer than an app key's minimum.</summary>
    public const int MinKeyLength = 16;

    private readonly byte[]? _key;

    private AdminCredentials(string? key) => _key = key is null ? null : Encoding.UTF8.GetBytes(key);

    /// <summary>False when no admin key is configured: the admin API answers 404 / 4040 and the dashboard stays off.</summary>
    public bool Enabled => _key is not null;

    /// <summary>Constant-time compare; always false while disabled.</summary>
    public bool KeyMatches(string? candidate) =>
        _key is not null && candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _key);

    public static AdminCredentials Resolve(IConfiguration configuration)
    {
        var gateway = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        if (string.IsNullOrWhiteSpace(gateway.AdminKey)) return new AdminCredentials(null);

        var key = gateway.AdminKey;
        if (key.Length < MinKeyLength)
            throw new InvalidOperationException($"{SettingName} must be at least {MinKeyLength} characters.");
        var appKey = string.IsNullOrWhiteSpace(gateway.AppKey) ? GatewaySecrets.SeedExampleAppKey : gateway.AppKey;
        if (key == appKey)
            throw new InvalidOperationException($"{SettingName} must differ from the app key (Gateway:AppKey): the app key is given to app backends, the admin key only to operators.");
        return new AdminCredentials(key);
    }
}
