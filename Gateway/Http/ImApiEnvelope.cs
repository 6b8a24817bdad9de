using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OrleansIm.Gateway.Http;

/// <summary>Seed 003's reply envelope {code, message, data, request-id}: the /im REST API's, and the admin API's.</summary>
public static class ImApiEnvelope
{
    public const string RequestIdHeader = "request-id";

    /// <summary>The envelope, echoing the request's <c>request-id</c> header (null when it sent none).</summary>
    public static JsonObject Create(HttpContext context, ApiOutcome outcome)
    {
        var requestId = context.Request.Headers[RequestIdHeader].ToString();
        return new JsonObject
        {
            ["code"] = outcome.Code,
            ["message"] = outcome.Message,
            ["data"] = outcome.Data,
            ["request-id"] = requestId.Length == 0 ? null : requestId,
        };
    }

    /// <summary>Writes the envelope with the HTTP status that goes with its code (<see cref="ApiStatusCodes"/>).</summary>
    public static Task WriteAsync(HttpContext context, ApiOutcome outcome) =>
        ApiCall.WriteJsonAsync(context, ApiStatusCodes.ForCode(outcome.Code), Create(context, outcome));
}
