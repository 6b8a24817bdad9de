using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Teams;

/// <summary>
/// The <c>team.*</c> socket frames (docs/protocol.md § Teams). The acting user is always the socket's; the team grain
/// checks what that user may do, and pushes the events to the other members (and the user's other devices).
/// </summary>
public static class TeamFrames
{
    /// <summary>Frame type → what it does, given the grain factory, the app's credentials, the session and the frame's data.</summary>
    public static IReadOnlyDictionary<string, Func<IGrainFactory, AppCredentials, ClientSession, JsonElement, Task<JsonObject>>> All { get; } =
        new Dictionary<string, Func<IGrainFactory, AppCredentials, ClientSession, JsonElement, Task<JsonObject>>>
    {

        ["team.create"] = async (grains, app, session, data) =>
        {
            var name = TeamFields.Name(data);
            var members = JsonFields.OptionalUserIdArray(data, "members", TeamLimits.MaxIdsPerRequest) ?? [];
            var settings = TeamFields.Settings(data) with { Name = name };
            var team = await grains.GetGrain<ITeamGrain>(ConversationIds.NewId())
                .CreateTeam(new CreateTeamRequest(app.AppId, session.UserId, members, settings), session.ConnectionId);
            return new JsonObject { ["team"] = TeamJson.Team(team) };
        },

        ["team.info"] = async (grains, app, session, data) =>
            new JsonObject { ["team"] = TeamJson.Team(await Team(grains, data).GetTeam(session.UserId)) },

        ["team.members"] = async (grains, app, session, data) =>
        {
            var teamId = TeamFields.TeamId(data);
            var (offset, limit) = TeamFields.MembersPage(data);
            var page = await grains.GetGrain<ITeamGrain>(teamId).GetTeamMembers(session.UserId, offset, limit);
            return new JsonObject
            {
                ["team_id"] = teamId,
                ["members"] = TeamJson.Members(page.Members),
                ["has_more"] = page.NextOffset is not null,
                ["cursor"] = page.NextOffset?.ToString(CultureInfo.InvariantCulture),
            };
        },

        ["team.update"] = async (grains, app, session, data) =>
        {
            var team = Team(grains, data);
            var settings = TeamFields.Settings(data);
            if (settings.Name is { } name && name.Trim().Length == 0) throw JsonFields.WrongType("name", "1 or more characters");
            return new JsonObject { ["team"] = TeamJson.Team(await team.UpdateTeam(session.UserId, settings, session.ConnectionId)) };
        },

        ["team.add_members"] = async (grains, app, session, data) =>
        {
            var teamId = TeamFields.TeamId(data);
            var ids = TeamFields.UserIds(data);
            var result = await grains.GetGrain<ITeamGrain>(teamId).AddTeamMembers(session.UserId, ids, TeamFields.Ps(data), session.ConnectionId);
            return new JsonObject { ["team_id"] = teamId, ["added"] = TeamJson.Ids(result.Added), ["invited"] = TeamJson.Ids(result.Invited) };
        },

        ["team.remove_members"] = async (grains, app, session, data) =>
        {
            var teamId = TeamFields.TeamId(data);
            var ids = TeamFields.UserIds(data);
            await grains.GetGrain<ITeamGrain>(teamId).RemoveTeamMembers(session.UserId, ids, session.ConnectionId);
            return new JsonObject { ["team_id"] = teamId, ["user_ids"] = TeamJson.Ids(ids) };
        },

        ["team.leave"] = async (grains, app, session, data) =>
        {
            var teamId = TeamFields.TeamId(data);
            await grains.GetGrain<ITeamGrain>(teamId).LeaveTeam(session.UserId, session.ConnectionId);
            return new JsonObject { ["team_id"] = teamId };
        },

        ["team.add_managers"] = (grains, _, session, data) => UpdateManagersAsync(grains, session, data, manager: true),
        ["team.remove_managers"] = (grains, _, session, data) => UpdateManagersAsync(grains, session, data, manager: false),

        ["team.transfer"] = async (grains, app, session, data) =>
        {
            var team = Team(grains, data);
            var newOwner = JsonFields.RequiredUserId(data, "user_id");
            var leave = JsonFields.OptionalFlag(data, "leave");
            return new JsonObject { ["team"] = TeamJson.Team(await team.TransferTeam(session.UserId, newOwner, leave, session.ConnectionId)) };
        },

        ["team.dismiss"] = async (grains, app, session, data) =>
        {
            var teamId = TeamFields.TeamId(data);
            await grains.GetGrain<ITeamGrain>(teamId).DismissTeam(session.UserId, session.ConnectionId);
            return new JsonObject { ["team_id"] = teamId };
        },

        ["team.update_member"] = async (grains, app, session, data) =>
        {
            var team = Team(grains, data);
            var userId = JsonFields.OptionalUserId(data, "user_id") ?? session.UserId;
            var nickname = JsonFields.RequiredString(data, "nickname", TeamLimits.MaxNicknameLength);
            var member = await team.UpdateTeamMember(session.UserId, userId, nickname, session.ConnectionId);
            return new JsonObject { ["member"] = TeamJson.Member(member) };
        },

        ["team.mute_member"] = async (grains, app, session, data) =>
        {
            var teamId = TeamFields.TeamId(data);
            var ids = TeamFields.UserIds(data);
            var mute = TeamFields.RequiredFlag(data, "mute");
            var members = await grains.GetGrain<ITeamGrain>(teamId).MuteTeamMembers(session.UserId, ids, mute, session.ConnectionId);
            return new JsonObject { ["team_id"] = teamId, ["members"] = TeamJson.Members(members) };
        },

        ["team.mute_all"] = async (grains, app, session, data) =>
        {
            var team = Team(grains, data);
            var mute = TeamFields.RequiredFlag(data, "mute");
            return new JsonObject { ["team"] = TeamJson.Team(await team.MuteTeam(session.UserId, mute, session.ConnectionId)) };
        },

        ["team.accept_invite"] = async (grains, app, session, data) =>
        {
            var team = Team(grains, data);
            var id = TeamFields.SysMsgId(data);
            return new JsonObject { ["team"] = TeamJson.Team(await team.AcceptInvite(session.UserId, id, session.ConnectionId)) };
        },

        ["team.reject_invite"] = async (grains, app, session, data) =>
        {
            var teamId = TeamFields.TeamId(data);
            await grains.GetGrain<ITeamGrain>(teamId).RejectInvite(session.UserId, TeamFields.SysMsgId(data), TeamFields.Ps(data));
            return new JsonObject { ["team_id"] = teamId };
        },

        ["team.apply"] = async (grains, app, session, data) =>
        {
            var teamId = TeamFields.TeamId(data);
            var joined = await grains.GetGrain<ITeamGrain>(teamId).Apply(session.UserId, TeamFields.Ps(data), session.ConnectionId);
            return new JsonObject { ["team_id"] = teamId, ["joined"] = joined };
        },

        ["team.pass_apply"] = async (grains, app, session, data) =>
        {
            var teamId = TeamFields.TeamId(data);
            await grains.GetGrain<ITeamGrain>(teamId).PassApply(session.UserId, TeamFields.SysMsgId(data), session.ConnectionId);
            return new JsonObject { ["team_id"] = teamId };
        },

        ["team.reject_apply"] = async (grains, app, session, data) =>
        {
            var teamId = TeamFields.TeamId(data);
            await grains.GetGrain<ITeamGrain>(teamId).RejectApply(session.UserId, TeamFields.SysMsgId(data), TeamFields.Ps(data));
            return new JsonObject { ["team_id"] = teamId };
        },
    };

    private static ITeamGrain Team(IGrainFactory grains, JsonElement data) => grains.GetGrain<ITeamGrain>(TeamFields.TeamId(data));

    private static async Task<JsonObject> UpdateManagersAsync(IGrainFactory grains, ClientSession session, JsonElement data, bool manager)
    {
        var teamId = TeamFields.TeamId(data);
        var ids = TeamFields.UserIds(data);
        var members = await grains.GetGrain<ITeamGrain>(teamId).UpdateManagers(session.UserId, ids, manager, session.ConnectionId);
        return new JsonObject { ["team_id"] = teamId, ["members"] = TeamJson.Members(members) };
    }
}
