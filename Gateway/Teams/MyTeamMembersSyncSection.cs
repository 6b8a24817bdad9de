using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Protocol.Sync;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Teams;

/// <summary>
/// Sync option <c>myTeamMembers</c> (on by default) → frame <c>myTeamMembers</c> {members: [member…], has_more}: the
/// user's own member record (role, nickname, mute) in every team they are in.
/// </summary>
public sealed class MyTeamMembersSyncSection(IGrainFactory grains, AppCredentials app) : ILoginSyncSection
{
    public string Option => "myTeamMembers";

    public IReadOnlyCollection<string> ExtraOptions { get; } = [];

    public bool OnByDefault => true;

    public int Order => 210;

    public async Task<IReadOnlyList<PushFrame>> BuildAsync(ClientSession session, JsonElement options, ReplyBudget budget, JsonObject done, LoginSyncCache shared, CancellationToken cancellationToken)
    {
        var memberships = await TeamMemberships.ForSyncAsync(grains, app.AppId, session.UserId, shared);
        var rows = budget.TakeRows(memberships.Select(m => (JsonNode)TeamJson.Member(m.Member)), out var cut);
        done["my_team_members_more"] = cut;
        return [new PushFrame(TeamEventNames.MyTeamMembers, new JsonObject { ["members"] = rows, ["has_more"] = cut })];
    }
}
