using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansIm.Gateway.Calls;

/// <summary>
/// Seed 001 TURN credentials, coturn REST scheme: username = "&lt;expiry unix seconds&gt;:&lt;userId&gt;",
/// credential = base64(HMAC-SHA1(secret, username)). Entries carry both "url" (the seed's shape) and "urls"
/// (what RTCPeerConnection reads); STUN entries have null username/credential.
/// </summary>
public sealed class TurnCredentialService
{
    private readonly TurnOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TurnCredentialService> _logger;
    private int _warned;

    public TurnCredentialService(IOptions<TurnOptions> options, TimeProvider time, ILogger<TurnCredentialService> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public JsonObject GetIceServers(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var servers = new JsonArray();
        var secret = _options.Secret;
        var username = $"{_time.GetUtcNow().ToUnixTimeSeconds() + Math.Max(1, _options.TtlSeconds)}:{userId}";
        string? credential = string.IsNullOrEmpty(secret)
            ? null
            : Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username)));

        foreach (var url in _options.Urls.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()))
        {
            var isTurn = url.StartsWith("turn:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("turns:", StringComparison.OrdinalIgnoreCase);
            if (isTurn && credential is null)
            {
                if (Interlocked.Exchange(ref _warned, 1) == 0)
                    _logger.LogWarning("Turn:Secret is not configured: TURN URLs are left out of the ICE servers (STUN only).");
                continue;
            }
            servers.Add(new JsonObject
            {
                ["url"] = url,
                ["urls"] = url,
                ["username"] = isTurn ? username : null,
                ["credential"] = isTurn ? credential : null,
            });
        }
        return new JsonObject { ["iceServers"] = servers };
    }
}
