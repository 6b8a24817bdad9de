using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Runtime;

namespace OrleansIm.Gateway.Http;

/// <summary>
/// Seed 000 server-side user API under /openapi/v1/user, authenticated by X-App-Key. Its envelope is
/// {code, msg, data} with HTTP-style codes (200 ok, 401 bad key) — unlike seed 003's {code:0, message}.
/// </summary>
public sealed class OpenApiUserEndpoints(
    IGrainFactory grains,
    AppCredentials app,
    JwtTokenService tokens,
    IOptions<GatewayOptions> options,
    ILogger<OpenApiUserEndpoints> logger)
{
    public const string AppKeyHeader = "X-App-Key";
    public const int MaxNicknameLength = 64;
    public const int MaxAvatarLength = 2048;
    public const int MaxExtrasLength = 4096;

    /// <summary>POST /openapi/v1/user/login: registers or updates the user and returns a 30-day "Bearer" token.</summary>
    public Task LoginAsync(HttpContext context) => RunAsync(context, async body =>
    {
        var id = JsonFields.RequiredUserId(body, "id");
        var nickname = JsonFields.OptionalString(body, "nickname", MaxNicknameLength);
        var avatar = JsonFields.OptionalString(body, "avatar", MaxAvatarLength);
        var device = JsonFields.OptionalString(body, "device", 32);
        var extras = JsonFields.OptionalRawObject(body, "extras", MaxExtrasLength);

        // Seed 000 makes only id mandatory in practice; the nickname defaults to the id.
        var profile = await grains.GetGrain<IUserGrain>(id).Login(new LoginRequest(string.IsNullOrEmpty(nickname) ? id : nickname, avatar, device, extras));
        return new JsonObject
        {
            ["imUserVo"] = UserJson(profile),
            ["token"] = tokens.Issue(profile.Id),
        };
    });

    /// <summary>PUT /openapi/v1/user/status {id, userStatus}: 2 bans (and kicks every live socket), 1 unbans.</summary>
    public Task SetStatusAsync(HttpContext context) => RunAsync(context, async body =>
    {
        var id = JsonFields.RequiredUserId(body, "id");
        var status = JsonFields.RequiredInt(body, "userStatus");
        if (status is not (UserStatuses.Normal or UserStatuses.Banned))
            throw new ImException(ImErrorCodes.InvalidParameter, "userStatus must be 1 (normal) or 2 (banned).");

        var user = grains.GetGrain<IUserGrain>(id);
        if (await user.GetProfile() is null) throw new ImException(ImErrorCodes.UnknownUser, "Unknown user.");
        await user.SetUserStatus(status);
        var profile = await user.GetProfile();
        return new JsonObject { ["imUserVo"] = profile is null ? null : UserJson(profile) };
    });

    private static JsonObject UserJson(UserProfile profile) => new()
    {
        ["id"] = profile.Id,
        ["nickname"] = profile.Nickname,
        ["avatar"] = profile.Avatar,
        ["userStatus"] = profile.UserStatus,
        ["lastLoginTime"] = profile.LastLoginTime > 0 ? ConversationJson.FormatTime(profile.LastLoginTime) : null,
        ["extras"] = MessageJson.RawToNode(profile.ExtrasJson) ?? new JsonObject(),
    };

    private async Task RunAsync(HttpContext context, Func<JsonElement, Task<JsonNode?>> action)
    {
        int httpStatus;
        int code;
        string msg;
        JsonNode? data = null;
        try
        {
            if (!app.KeyMatches(context.Request.Headers[AppKeyHeader].ToString()))
            {
                (httpStatus, code, msg) = (StatusCodes.Status401Unauthorized, 401, "Missing or wrong X-App-Key.");
            }
            else
            {
                var body = await RequestBodyReader.ReadObjectAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
                data = await action(body);
                (httpStatus, code, msg) = (StatusCodes.Status200OK, 200, "success");
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (GatewayErrors.Classify(e) is { } known)
        {
            (httpStatus, code, msg) = (ApiStatusCodes.ForCode(known.Code), known.Code, known.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            (httpStatus, code, msg) = (StatusCodes.Status500InternalServerError, 500, "Internal server error.");
        }

        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = "application/json; charset=utf-8";
        var envelope = new JsonObject { ["code"] = code, ["msg"] = msg, ["data"] = data };
        await context.Response.Body.WriteAsync(GatewayJson.ToUtf8(envelope));
    }
}
