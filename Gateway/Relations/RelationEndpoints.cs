using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations;

/// <summary>
/// The server API (seed 003 headers and envelope) for friends, black and mute lists and name cards, acting as the user
/// in the path ({client_id}, who must exist: 211). Same grains, events and notifications as the socket frames; no
/// device is excepted from the events (the change did not come from one).
/// </summary>
public sealed class RelationEndpoints(IGrainFactory grains, AppCredentials app, IOptions<GatewayOptions> options)
{
    private int MaxBody => options.Value.MaxRequestBodyBytes;

    /// <summary>POST /im/users/{client_id}/friends {account, verify?, ps?}</summary>
    public async Task<JsonNode?> AddFriendAsync(HttpContext context)
    {
        var user = await KnownUserAsync(context);
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, MaxBody, context.RequestAborted);
        var account = RelationFields.Account(body);
        var result = await Relations(user).AddFriend(account, JsonFields.OptionalFlag(body, "verify"), RelationFields.Ps(body), null);
        return new JsonObject
        {
            ["account"] = account,
            ["friend"] = result.Friend is null ? null : RelationJson.Friend(result.Friend),
            ["sysmsg_id"] = result.SysMsgId,
        };
    }

    /// <summary>GET /im/users/{client_id}/friends</summary>
    public async Task<JsonNode?> ListFriendsAsync(HttpContext context) =>
        RelationJson.Friends(await Relations(await KnownUserAsync(context)).GetFriends());

    /// <summary>PUT /im/users/{client_id}/friends/{account} {alias}</summary>
    public async Task<JsonNode?> UpdateFriendAsync(HttpContext context)
    {
        var user = await KnownUserAsync(context);
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, MaxBody, context.RequestAborted);
        return RelationJson.Friend(await Relations(user).UpdateFriend(RouteAccount(context), RelationFields.Alias(body), null));
    }

    /// <summary>DELETE /im/users/{client_id}/friends/{account}</summary>
    public async Task<JsonNode?> DeleteFriendAsync(HttpContext context)
    {
        await Relations(await KnownUserAsync(context)).DeleteFriend(RouteAccount(context), null);
        return JsonValue.Create(true);
    }

    /// <summary>GET /im/users/{client_id}/relations → {blacklist, mutelist, muted_sessions}</summary>
    public async Task<JsonNode?> ListRelationsAsync(HttpContext context) =>
        RelationJson.Lists(await Relations(await KnownUserAsync(context)).GetRelations());

    /// <summary>POST /im/users/{client_id}/blacklist {account}</summary>
    public Task<JsonNode?> AddBlackAsync(HttpContext context) => ChangeListedAsync(context, black: true, add: true);

    /// <summary>DELETE /im/users/{client_id}/blacklist/{account}</summary>
    public Task<JsonNode?> RemoveBlackAsync(HttpContext context) => ChangeListedAsync(context, black: true, add: false);

    /// <summary>POST /im/users/{client_id}/mutelist {account}</summary>
    public Task<JsonNode?> AddMuteAsync(HttpContext context) => ChangeListedAsync(context, black: false, add: true);

    /// <summary>DELETE /im/users/{client_id}/mutelist/{account}</summary>
    public Task<JsonNode?> RemoveMuteAsync(HttpContext context) => ChangeListedAsync(context, black: false, add: false);

    /// <summary>GET /im/users?accounts=a,b,c (≤ 150) → name cards, unknown users left out.</summary>
    public async Task<JsonNode?> GetUsersAsync(HttpContext context)
    {
        var raw = QueryParameters.OptionalString(context.Request, "accounts") ?? throw JsonFields.Missing("accounts");
        var ids = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) throw JsonFields.Missing("accounts");
        if (ids.Count > RelationLimits.MaxProfileLookup)
            throw new ImException(ImErrorCodes.LimitExceeded, $"'accounts' has more than {RelationLimits.MaxProfileLookup} entries.");
        if (ids.Find(id => !UserIds.IsValid(id)) is not null)
            throw new ImException(ImErrorCodes.InvalidUserId, $"'accounts' has an invalid user id (1-{UserIds.MaxLength} letters, digits, '_' or '-').");
        return NameCards.ToArray(await NameCards.LookUpAsync(grains, ids));
    }

    private async Task<JsonNode?> ChangeListedAsync(HttpContext context, bool black, bool add)
    {
        var user = await KnownUserAsync(context);
        string account;
        if (add)
        {
            var body = await RequestBodyReader.ReadObjectAsync(context.Request, MaxBody, context.RequestAborted);
            account = RelationFields.Account(body);
        }
        else
        {
            account = RouteAccount(context);
        }
        var relations = Relations(user);
        var entry = black ? await relations.SetBlack(app.AppId, account, add, null) : await relations.SetMute(account, add, null);
        return new JsonObject { ["account"] = account, ["add"] = add, ["time"] = entry?.Time };
    }

    private IRelationGrain Relations(string userId) => grains.GetGrain<IRelationGrain>(userId);

    /// <summary>The path's {client_id}: a valid id (212) of a user who exists (211).</summary>
    private async Task<string> KnownUserAsync(HttpContext context)
    {
        var id = RouteUserId(context, "client_id");
        if (await grains.GetGrain<IUserGrain>(id).GetProfile() is null) throw new ImException(ImErrorCodes.UnknownUser, $"Unknown user '{id}'.");
        return id;
    }

    private static string RouteAccount(HttpContext context) => RouteUserId(context, "account");

    private static string RouteUserId(HttpContext context, string name)
    {
        var id = context.Request.RouteValues[name] as string;
        if (!UserIds.IsValid(id)) throw new ImException(ImErrorCodes.InvalidUserId, $"The {name} in the path is not a valid user id.");
        return id!;
    }
}
