using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Admin;

/// <summary>
/// Runs one admin API call: the admin key (<see cref="AdminKeyGate"/>: 4040 disabled, 4012 missing or wrong, 4290 too
/// many failures from the address), then the action, in seed 003's envelope {code, message, data, request-id} with the
/// same error handling as the REST API (<see cref="ApiCall"/>). Each action that ran is one audit log line (action,
/// path, client address, result code), never the key.
/// </summary>
public sealed class AdminApiHandler(AdminKeyGate gate, ILogger<AdminApiHandler> logger, ILoggerFactory loggerFactory)
{
    public const string DisabledMessage = "The admin API is disabled: Gateway:AdminKey is not configured on this gateway.";
    public const string RefusedMessage = "Missing or wrong X-Admin-Key.";

    private readonly ILogger _audit = loggerFactory.CreateLogger(AdminKeyGate.AuditCategory);

    public async Task HandleAsync(HttpContext context, string action, Func<HttpContext, Task<JsonNode?>> run)
    {
        var check = gate.Check(context);
        switch (check.Verdict)
        {
            case AdminKeyVerdict.Disabled:
                await ImApiEnvelope.WriteAsync(context, new ApiOutcome(ImErrorCodes.AdminDisabled, DisabledMessage, null));
                return;
            case AdminKeyVerdict.Refused:
                await ImApiEnvelope.WriteAsync(context, new ApiOutcome(ImErrorCodes.AdminUnauthorized, RefusedMessage, null));
                return;
            case AdminKeyVerdict.Locked:
                context.Response.Headers[HeaderNames.RetryAfter] = RetryAfterSeconds(check.RetryAfter);
                await ImApiEnvelope.WriteAsync(context, new ApiOutcome(ImErrorCodes.RateLimited, HttpRateLimiting.RefusalMessage, null));
                return;
        }

        var outcome = await ApiCall.RunAsync(context, logger, () => run(context), ImErrorCodes.Ok, "ok", ImErrorCodes.Internal);
        if (outcome is not { } result) return;
        _audit.LogInformation("Admin {Action}: {Method} {Path} from {Address}, code {Code}.",
            action, context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress, result.Code);
        await ImApiEnvelope.WriteAsync(context, result);
    }

    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
