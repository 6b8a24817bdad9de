using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

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
            ["token"] = tokens.Issue(profile.Id, profile.TokenGeneration),
        };
    });

    /// <summary>
    /// POST /openapi/v1/user/token/refresh {id}: a new token; every token issued before it stops connecting (401, code
    /// 4011). Live connections stay: a token is checked when connecting (seed 002).
    /// </summary>
    public Task RefreshTokenAsync(HttpContext context) => RunAsync(context, async body =>
    {
        var user = await KnownUserAsync(body);
        var profile = await user.GetProfile();
        if (profile!.UserStatus == UserStatuses.Banned) throw new ImException(ImErrorCodes.Banned, "User is banned.");
        var generation = await user.RefreshTokenGeneration();
        return new JsonObject { ["token"] = tokens.Issue(profile.Id, generation) };
    });

    /// <summary>
    /// POST /openapi/v1/user/token/revoke {id}: revoke-all. Every token issued so far stops connecting and every live
    /// connection of the user is kicked (kicked + logout.kick with reason "revoked", close 4401). Log in again for a new token.
    /// </summary>
    public Task RevokeTokensAsync(HttpContext context) => RunAsync(context, async body =>
    {
        var user = await KnownUserAsync(body);
        await user.RevokeTokens();
        return new JsonObject { ["revoked"] = true };
    });

    private async Task<IUserGrain> KnownUserAsync(JsonElement body)
    {
        var user = grains.GetGrain<IUserGrain>(JsonFields.RequiredUserId(body, "id"));
        if (await user.GetProfile() is null) throw new ImException(ImErrorCodes.UnknownUser, "Unknown user.");
        return user;
    }

    /// <summary>PUT /openapi/v1/user/status {id, userStatus}: 2 bans (and kicks every live socket), 1 unbans.</summary>
    public Task SetStatusAsync(HttpContext context) => RunAsync(context, async body =>
    {
        var id = JsonFields.RequiredUserId(body, "id");
        var status = JsonFields.RequiredInt(body, "userStatus");
        var profile = await BannedUsers.SetStatusAsync(grains, id, status);
        return new JsonObject { ["imUserVo"] = profile is null ? null : UserJson(profile) };
    });

    /// <summary>Seed 000's imUserVo (the admin API shows users the same way).</summary>
    public static JsonObject UserJson(UserProfile profile) => new()
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
        if (!app.KeyMatches(context.Request.Headers[AppKeyHeader].ToString()))
        {
            await ApiCall.WriteJsonAsync(context, StatusCodes.Status401Unauthorized, Envelope(new ApiOutcome(401, "Missing or wrong X-App-Key.", null)));
            return;
        }
        var outcome = await ApiCall.RunAsync(context, logger, async () =>
        {
            var body = await RequestBodyReader.ReadObjectAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
            return await action(body);
        }, 200, "success", 500);
        if (outcome is not { } result) return;
        // Seed 000 codes are HTTP-style (200 ok, 500 internal); business codes map like the REST API's.
        var httpStatus = result.Code == 200 ? StatusCodes.Status200OK : ApiStatusCodes.ForCode(result.Code);
        await ApiCall.WriteJsonAsync(context, httpStatus, Envelope(result));
    }

    private static JsonObject Envelope(ApiOutcome outcome) =>
        new() { ["code"] = outcome.Code, ["msg"] = outcome.Message, ["data"] = outcome.Data };
}
