using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Http;

/// <summary>
/// Runs a seed 003 REST call: checks the app-id/app-key headers (4002 missing, 4010 wrong), runs the action and
/// writes the envelope {code, message, data, request-id}. Business errors keep their code; anything else is
/// code 1 / HTTP 500 with a generic message (and a log entry).
/// </summary>
public sealed class ImApiHandler(AppCredentials app, ILogger<ImApiHandler> logger)
{
    public const string AppIdHeader = "app-id";
    public const string AppKeyHeader = "app-key";
    public const string RequestIdHeader = ImApiEnvelope.RequestIdHeader;

    public Task HandleAsync(HttpContext context, Func<HttpContext, Task<JsonNode?>> action) => HandleAsync(context, action, requireAppCredentials: true);

    /// <summary>An endpoint of the server API: <paramref name="action"/> behind the app credentials, in seed 003's envelope.</summary>
    public RequestDelegate Endpoint(Func<HttpContext, Task<JsonNode?>> action) => context => HandleAsync(context, action);

    /// <param name="requireAppCredentials">
    /// False for an endpoint that authenticates callers itself (file upload also takes a user's token); it must then call
    /// <see cref="RequireAppCredentials"/> or check a token before doing anything.
    /// </param>
    public async Task HandleAsync(HttpContext context, Func<HttpContext, Task<JsonNode?>> action, bool requireAppCredentials)
    {
        var outcome = await ApiCall.RunAsync(context, logger, () =>
        {
            if (requireAppCredentials) RequireAppCredentials(context.Request);
            return action(context);
        }, ImErrorCodes.Ok, "ok", ImErrorCodes.Internal);
        if (outcome is { } result) await ImApiEnvelope.WriteAsync(context, result);
    }

    /// <summary>True when the request carries either app header, i.e. means to act as the application.</summary>
    public static bool PresentsAppCredentials(HttpRequest request) =>
        request.Headers[AppIdHeader].ToString().Length > 0 || request.Headers[AppKeyHeader].ToString().Length > 0;

    /// <summary>Both app headers, matching: else 4002 (one missing) or 4010 (wrong).</summary>
    public void RequireAppCredentials(HttpRequest request)
    {
        var appId = request.Headers[AppIdHeader].ToString();
        var appKey = request.Headers[AppKeyHeader].ToString();
        if (appId.Length == 0 || appKey.Length == 0)
            throw new ImException(ImErrorCodes.MissingHeader, "Missing header: " + (appId.Length == 0 ? AppIdHeader : AppKeyHeader) + ".");
        if (!app.Matches(appId, appKey))
            throw new ImException(ImErrorCodes.Unauthorized, "Wrong app-id or app-key.");
    }
}
