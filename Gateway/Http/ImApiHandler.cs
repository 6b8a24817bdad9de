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

    public async Task HandleAsync(HttpContext context, Func<HttpContext, Task<JsonNode?>> action)
    {
        var outcome = await ApiCall.RunAsync(context, logger, () =>
        {
            var appId = context.Request.Headers[AppIdHeader].ToString();
            var appKey = context.Request.Headers[AppKeyHeader].ToString();
            if (appId.Length == 0 || appKey.Length == 0)
                throw new ImException(ImErrorCodes.MissingHeader, "Missing header: " + (appId.Length == 0 ? AppIdHeader : AppKeyHeader) + ".");
            if (!app.Matches(appId, appKey))
                throw new ImException(ImErrorCodes.Unauthorized, "Wrong app-id or app-key.");
            return action(context);
        }, ImErrorCodes.Ok, "ok", ImErrorCodes.Internal);
        if (outcome is { } result) await ImApiEnvelope.WriteAsync(context, result);
    }
}
