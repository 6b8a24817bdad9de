using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Files;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Stomp;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.RateLimits;

/// <summary>
/// The HTTP side of the rate limits, as ASP.NET Core's rate limiter middleware's global limiter: the app-key server API
/// per client address and per app key, WebSocket upgrades (/ws, STOMP) per client address. A refused request gets
/// 429 with a Retry-After header (whole seconds) and its API's envelope: seed 003's {code:4290, message, …} on /im/*,
/// {code:429, msg, data} on the login API and the socket handshakes, like their other refusals.
/// </summary>
public static class HttpRateLimiting
{
    public const string LoginApiPrefix = "/openapi/v1/user";
    public const string RestApiPrefix = "/im";
    public const string SocketPath = "/ws";
    public const string RefusalMessage = "Too many requests; retry after the Retry-After header's seconds.";

    public static void Configure(RateLimiterOptions options, RateLimitOptions limits, AppCredentials app)
    {
        var exemptLoopback = limits.ExemptLoopback;
        options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsServerApi(context.Request.Path) && ClientAddress.Key(context, exemptLoopback) is { } address
                    ? TokenBuckets.Partition(address, limits.ServerApiPerAddress)
                    : RateLimitPartition.GetNoLimiter("")),
            PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsServerApi(context.Request.Path) && !IsTokenUpload(context)
                    // Two buckets only: the right key, and every wrong or missing key together (guesses never use up the app's budget).
                    ? TokenBuckets.Partition(app.KeyMatches(PresentedAppKey(context)) ? "app" : "wrong-key", limits.ServerApiPerAppKey)
                    : RateLimitPartition.GetNoLimiter("")),
            PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsSocketUpgrade(context.Request.Path) && ClientAddress.Key(context, exemptLoopback) is { } address
                    ? TokenBuckets.Partition(address, limits.ConnectionsPerAddress)
                    : RateLimitPartition.GetNoLimiter("")));
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (rejected, _) => WriteRefusalAsync(rejected.HttpContext, TokenBuckets.RetryAfter(rejected.Lease));
    }

    public static bool IsServerApi(PathString path) =>
        path.StartsWithSegments(LoginApiPrefix, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(RestApiPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A file upload authenticated by a user's token, not the app key: it tests no app key, so it does not belong in
    /// either per-app-key bucket (it would share the wrong-key one with key guessers); UploadsPerUser limits it instead.
    /// </summary>
    public static bool IsTokenUpload(HttpContext context) =>
        context.Request.Path.Equals(FileEndpoints.UploadPath, StringComparison.OrdinalIgnoreCase) && !ImApiHandler.PresentsAppCredentials(context.Request);

    public static bool IsSocketUpgrade(PathString path) =>
        path.Equals(SocketPath, StringComparison.OrdinalIgnoreCase) || path.Equals(StompEndpoint.Path, StringComparison.OrdinalIgnoreCase);

    private static string PresentedAppKey(HttpContext context) =>
        context.Request.Path.StartsWithSegments(LoginApiPrefix, StringComparison.OrdinalIgnoreCase)
            ? context.Request.Headers[OpenApiUserEndpoints.AppKeyHeader].ToString()
            : context.Request.Headers[ImApiHandler.AppKeyHeader].ToString();

    private static async ValueTask WriteRefusalAsync(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        JsonObject body;
        if (context.Request.Path.StartsWithSegments(RestApiPrefix, StringComparison.OrdinalIgnoreCase))
        {
            body = ImApiEnvelope.Create(context, new ApiOutcome(ImErrorCodes.RateLimited, RefusalMessage, null));
        }
        else
        {
            body = new JsonObject { ["code"] = StatusCodes.Status429TooManyRequests, ["msg"] = RefusalMessage, ["data"] = null };
        }
        await ApiCall.WriteJsonAsync(context, StatusCodes.Status429TooManyRequests, body);
    }
}
