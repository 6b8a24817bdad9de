using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Protocol;
using Orleans;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Calls;

/// <summary>
/// Seed 001 HTTP twins under /imserver: the user is the one named by the token in header "ide" (as the login API
/// issued it, with or without "Bearer "). Envelope {code, msg, data}; codes below 1000 are also the HTTP status,
/// business codes above 1000 (1001 busy) come with HTTP 200, as the seed says. There is no socket, so the
/// grain gets device null. A valid token is not enough: a banned (or unknown) user gets 403 on every twin, TURN
/// credentials included, as a banned user's sockets are refused and kicked.
/// </summary>
public sealed class CallEndpoints(
    IGrainFactory grains,
    CallCommands commands,
    TurnCredentialService turn,
    JwtTokenService tokens,
    IOptions<GatewayOptions> options,
    ILogger<CallEndpoints> logger)
{
    public const string TokenHeader = "ide";

    /// <summary>POST /imserver/call/request</summary>
    public Task RequestAsync(HttpContext context) => RunAsync(context, async userId =>
    {
        await commands.RequestAsync(userId, null, await ReadBodyAsync(context) ?? RequestBodyReader.EmptyObject());
        return null;
    });

    /// <summary>POST /imserver/call/response</summary>
    public Task RespondAsync(HttpContext context) => RunAsync(context, async userId =>
    {
        await commands.RespondAsync(userId, null, await ReadBodyAsync(context) ?? RequestBodyReader.EmptyObject());
        return null;
    });

    /// <summary>POST /imserver/call/hangup — the seed's body is empty: the user's current call.</summary>
    public Task HangupAsync(HttpContext context) => RunAsync(context, async userId =>
    {
        await commands.HangupAsync(userId, null, await ReadBodyAsync(context));
        return null;
    });

    /// <summary>GET /imserver/turn/get-turn-credentials</summary>
    public Task TurnCredentialsAsync(HttpContext context) => RunAsync(context, userId => Task.FromResult<JsonNode?>(turn.GetIceServers(userId)));

    private async Task<JsonElement?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await RequestBodyReader.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
        }
        catch (ImException e)
        {
            // Seed 001 knows HTTP-style codes only: a malformed or oversized body is a bad request.
            throw new ImException(ImErrorCodes.CallBadRequest, e.Message);
        }
    }

    private async Task RunAsync(HttpContext context, Func<string, Task<JsonNode?>> action)
    {
        var outcome = await ApiCall.RunAsync(context, logger, async () =>
        {
            var claims = tokens.Validate(context.Request.Headers[TokenHeader].ToString())
                ?? throw new ImException(401, "Missing or invalid token in header 'ide'.");
            var profile = await grains.GetGrain<IUserGrain>(claims.UserId).GetProfile();
            if (profile is null || profile.UserStatus == UserStatuses.Banned)
                throw new ImException(403, profile is null ? "Unknown user." : "User is banned.");
            if (claims.Generation != profile.TokenGeneration)
                throw new ImException(401, "The token was refreshed or revoked: get a new one.");
            return await action(claims.UserId);
        }, 200, "ok", 500);
        if (outcome is not { } result) return;
        await ApiCall.WriteJsonAsync(context, HttpStatusFor(result.Code),
            new JsonObject { ["code"] = result.Code, ["msg"] = result.Message, ["data"] = result.Data });
    }

    /// <summary>Seed 001: below 1000 the code is the HTTP status; business codes ride on 200 (5030 keeps its 503: retry).</summary>
    private static int HttpStatusFor(int code) => code switch
    {
        ImErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        >= 100 and < 1000 => code,
        > 1000 => StatusCodes.Status200OK,
        _ => StatusCodes.Status500InternalServerError,
    };
}
