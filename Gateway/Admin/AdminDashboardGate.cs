using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OrleansIm.Gateway.Http;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Admin;

/// <summary>
/// The admin key in front of every endpoint of the Orleans Dashboard's route group (page, assets and data API): a
/// browser gets 401 with a Basic challenge, so it asks for a login once (any user name, the admin key as password) and
/// sends it with each later request; tools may send X-Admin-Key instead. Failures count against the address like the
/// admin API's (<see cref="AdminKeyGate"/>).
/// </summary>
public sealed class AdminDashboardGate(AdminKeyGate gate) : IEndpointFilter
{
    public const string Realm = "OrleansIm admin";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var check = gate.Check(http);
        switch (check.Verdict)
        {
            case AdminKeyVerdict.Accepted:
                return await next(context);
            case AdminKeyVerdict.Locked:
                http.Response.Headers[HeaderNames.RetryAfter] = AdminApiHandler.RetryAfterSeconds(check.RetryAfter);
                return Results.Json(Body(ImErrorCodes.RateLimited, "Too many wrong admin keys from this address; retry after the Retry-After header's seconds."),
                    statusCode: StatusCodes.Status429TooManyRequests);
            case AdminKeyVerdict.Disabled:
                return Results.Json(Body(ImErrorCodes.AdminDisabled, AdminApiHandler.DisabledMessage), statusCode: StatusCodes.Status404NotFound);
            default:
                http.Response.Headers[HeaderNames.WWWAuthenticate] = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
                return Results.Json(Body(ImErrorCodes.AdminUnauthorized, "The dashboard needs the admin key: log in with any user name and the admin key as password, or send X-Admin-Key."),
                    statusCode: StatusCodes.Status401Unauthorized);
        }
    }

    private static JsonObject Body(int code, string message) => new() { ["code"] = code, ["message"] = message, ["data"] = null };
}
