using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrleansIm.Gateway.Protocol;

namespace OrleansIm.Gateway.Http;

/// <summary>
/// The part every HTTP API (seed 000 login, seed 003 REST, seed 001 twins) shares: run the action, keep the
/// code of a known failure, log anything else as an internal error; each API renders its own envelope.
/// </summary>
public static class ApiCall
{
    public const string InternalErrorMessage = "Internal server error.";

    /// <returns>The outcome, or null when the client went away (nothing to answer).</returns>
    public static async Task<ApiOutcome?> RunAsync(HttpContext context, ILogger logger, Func<Task<JsonNode?>> action,
        int okCode, string okMessage, int internalCode)
    {
        try
        {
            return new ApiOutcome(okCode, okMessage, await action());
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (GatewayErrors.Classify(e) is { } known)
        {
            return new ApiOutcome(known.Code, known.Message, null);
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            return new ApiOutcome(internalCode, InternalErrorMessage, null);
        }
    }

    public static async Task WriteJsonAsync(HttpContext context, int httpStatus, JsonObject body)
    {
        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(GatewayJson.ToUtf8(body));
    }
}
