using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Teams;

/// <summary>
/// The server API for teams under <c>/im/teams</c>, in seed 003's style (app-id/app-key, envelope with request-id). The
/// application acts with the owner's rights (a null operator in the grain), so it may do anything the owner may; members
/// it adds join at once, without an invitation.
/// </summary>
public sealed class TeamEndpoints(IGrainFactory grains, AppCredentials app, IOptions<GatewayOptions> options)
{
    private int MaxBody => options.Value.MaxRequestBodyBytes;

    /// <summary>POST /im/teams {owner, members?, name, avatar?, intro?, announcement?, custom?, join_mode?, invite_mode?, be_invite_mode?}</summary>
    public async Task<JsonNode?> CreateAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        var owner = JsonFields.RequiredUserId(body, "owner");
        var members = JsonFields.OptionalUserIdArray(body, "members", TeamLimits.MaxIdsPerRequest) ?? [];
        var settings = TeamFields.Settings(body) with { Name = TeamFields.Name(body) };
        await BannedUsers.RefuseAsync(grains, owner);
        var team = await grains.GetGrain<ITeamGrain>(ConversationIds.NewId())
            .CreateTeam(new CreateTeamRequest(app.AppId, owner, members, settings), exceptConnectionId: null);
        return new JsonObject { ["team"] = TeamJson.Team(team) };
    }

    /// <summary>GET /im/teams/{team_id}</summary>
    public async Task<JsonNode?> GetAsync(HttpContext context) =>
        new JsonObject { ["team"] = TeamJson.Team(await Team(context).GetTeam(null)) };

    /// <summary>PUT /im/teams/{team_id} {name?, avatar?, intro?, announcement?, custom?, join_mode?, invite_mode?, be_invite_mode?}</summary>
    public async Task<JsonNode?> UpdateAsync(HttpContext context)
    {
        var team = Team(context);
        var body = await ReadAsync(context);
        var settings = TeamFields.Settings(body);
        if (settings.Name is { } name && name.Trim().Length == 0) throw JsonFields.WrongType("name", "1 or more characters");
        return new JsonObject { ["team"] = TeamJson.Team(await team.UpdateTeam(null, settings, null)) };
    }

    /// <summary>DELETE /im/teams/{team_id}: dismisses the team.</summary>
    public async Task<JsonNode?> DismissAsync(HttpContext context)
    {
        await Team(context).DismissTeam(null, null);
        return JsonValue.Create(true);
    }

    /// <summary>GET /im/teams/{team_id}/members?cursor=&amp;limit=</summary>
    public async Task<JsonNode?> GetMembersAsync(HttpContext context)
    {
        var team = Team(context);
        var (offset, limit) = TeamFields.MembersPage(
            QueryParameters.OptionalString(context.Request, "cursor"), QueryParameters.OptionalInt(context.Request, "limit"));
        var page = await team.GetTeamMembers(null, offset, limit);
        return new JsonObject
        {
            ["members"] = TeamJson.Members(page.Members),
            ["has_more"] = page.NextOffset is not null,
            ["cursor"] = page.NextOffset?.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>POST /im/teams/{team_id}/members {client_ids}: they join at once.</summary>
    public async Task<JsonNode?> AddMembersAsync(HttpContext context)
    {
        var team = Team(context);
        var ids = TeamFields.UserIds(await ReadAsync(context), "client_ids");
        var result = await team.AddTeamMembers(null, ids, null, null);
        return new JsonObject { ["added"] = TeamJson.Ids(result.Added) };
    }

    /// <summary>POST /im/teams/{team_id}/members/remove {client_ids}</summary>
    public async Task<JsonNode?> RemoveMembersAsync(HttpContext context)
    {
        var team = Team(context);
        var ids = TeamFields.UserIds(await ReadAsync(context), "client_ids");
        await team.RemoveTeamMembers(null, ids, null);
        return JsonValue.Create(true);
    }

    /// <summary>PUT /im/teams/{team_id}/owner {owner, leave?}: hands the team to another member.</summary>
    public async Task<JsonNode?> TransferAsync(HttpContext context)
    {
        var team = Team(context);
        var body = await ReadAsync(context);
        var owner = JsonFields.RequiredUserId(body, "owner");
        var leave = JsonFields.OptionalFlag(body, "leave");
        return new JsonObject { ["team"] = TeamJson.Team(await team.TransferTeam(null, owner, leave, null)) };
    }

    /// <summary>POST /im/teams/{team_id}/managers {client_ids} (add) and POST …/managers/remove (remove).</summary>
    public Task<JsonNode?> AddManagersAsync(HttpContext context) => UpdateManagersAsync(context, manager: true);

    public Task<JsonNode?> RemoveManagersAsync(HttpContext context) => UpdateManagersAsync(context, manager: false);

    private async Task<JsonNode?> UpdateManagersAsync(HttpContext context, bool manager)
    {
        var team = Team(context);
        var ids = TeamFields.UserIds(await ReadAsync(context), "client_ids");
        return new JsonObject { ["members"] = TeamJson.Members(await team.UpdateManagers(null, ids, manager, null)) };
    }

    private Task<JsonElement> ReadAsync(HttpContext context) =>
        RequestBodyReader.ReadObjectAsync(context.Request, MaxBody, context.RequestAborted);

    private ITeamGrain Team(HttpContext context)
    {
        var id = context.Request.RouteValues["team_id"] as string;
        if (!ConversationIds.IsValid(id)) throw new ImException(ImErrorCodes.InvalidParameter, "The team id in the path is not valid.");
        return grains.GetGrain<ITeamGrain>(id!);
    }
}
