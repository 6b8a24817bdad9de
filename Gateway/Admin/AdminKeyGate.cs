using System.Net.Http.Headers;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OrleansIm.Gateway.RateLimits;

namespace OrleansIm.Gateway.Admin;

/// <summary>
/// Checks the admin key of an admin API or dashboard request: the <c>X-Admin-Key</c> header, or the password of an HTTP
/// Basic login (browsers, for the dashboard; the user name is ignored). Failures are counted per client address in
/// token buckets (<see cref="RateLimitOptions.AdminKeyFailuresPerAddress"/>): once an address has none left, its
/// requests are refused before the key is compared, so the answer never tells a right guess from a wrong one. Every
/// refusal is logged to the audit category, without the key.
/// </summary>
public sealed class AdminKeyGate : IDisposable
{
    /// <summary>Log category of admin actions and refused admin keys (docs/operations.md § Admin API).</summary>
    public const string AuditCategory = "OrleansIm.Admin.Audit";

    private readonly AdminCredentials _credentials;
    private readonly bool _limited;
    private readonly bool _exemptLoopback;
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly ILogger _audit;

    public AdminKeyGate(AdminCredentials credentials, IOptions<RateLimitOptions> limits, ILoggerFactory loggerFactory)
    {
        _credentials = credentials;
        _exemptLoopback = limits.Value.ExemptLoopback;
        var perAddress = limits.Value.AdminKeyFailuresPerAddress;
        _limited = perAddress.Enabled;
        _failures = PartitionedRateLimiter.Create<string, string>(address => TokenBuckets.Partition(address, perAddress));
        _audit = loggerFactory.CreateLogger(AuditCategory);
    }

    public AdminKeyCheck Check(HttpContext context)
    {
        if (!_credentials.Enabled) return new(AdminKeyVerdict.Disabled, TimeSpan.Zero);

        var address = _limited ? ClientAddress.Key(context, _exemptLoopback) : null;
        // Locked while the address has no failure left (a zero-permit acquire would not tell: it always succeeds).
        if (address is not null && _failures.GetStatistics(address) is { CurrentAvailablePermits: <= 0 })
        {
            _audit.LogWarning("Admin request {Method} {Path} from {Address} refused: too many wrong admin keys from this address.",
                context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress);
            // Tokens come back every second (TokenBucketLimit counts per second).
            return new(AdminKeyVerdict.Locked, TimeSpan.FromSeconds(1));
        }

        if (_credentials.KeyMatches(PresentedKey(context.Request))) return new(AdminKeyVerdict.Accepted, TimeSpan.Zero);

        if (address is not null) _failures.AttemptAcquire(address, 1).Dispose();
        _audit.LogWarning("Admin request {Method} {Path} from {Address} refused: missing or wrong admin key.",
            context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress);
        return new(AdminKeyVerdict.Refused, TimeSpan.Zero);
    }

    /// <summary>X-Admin-Key, else the password of <c>Authorization: Basic</c>; null when neither is there or readable.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers[AdminCredentials.KeyHeader].ToString();
        if (header.Length > 0) return header;

        if (!AuthenticationHeaderValue.TryParse(request.Headers[HeaderNames.Authorization].ToString(), out var authorization)
            || !string.Equals(authorization.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || authorization.Parameter is not { Length: > 0 } encoded)
        {
            return null;
        }
        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = credentials.IndexOf(':');
            return colon < 0 ? null : credentials[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public void Dispose() => _failures.Dispose();
}
