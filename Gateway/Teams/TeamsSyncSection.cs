using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Protocol.Sync;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Teams;

/// <summary>
/// Sync option <c>teams</c> (on by default) → frame <c>teams</c> {teams: [team…], has_more}: every team the user is in.
/// Rows spend the sync's reply budget; a cut list says <c>has_more</c> (and syncdone <c>teams_more</c>): ask
/// <c>team.info</c> for the rest, named by the user's conversations.
/// </summary>
public sealed class TeamsSyncSection(IGrainFactory grains, AppCredentials app) : ILoginSyncSection
{
    public string Option => "teams";

    public IReadOnlyCollection<string> ExtraOptions { get; } = [];

    public bool OnByDefault => true;

    public int Order => 200;

    public async Task<IReadOnlyList<PushFrame>> BuildAsync(ClientSession session, JsonElement options, ReplyBudget budget, JsonObject done, LoginSyncCache shared, CancellationToken cancellationToken)
    {
        var memberships = await TeamMemberships.ForSyncAsync(grains, app.AppId, session.UserId, shared);
        var rows = budget.TakeRows(memberships.Select(m => (JsonNode)TeamJson.Team(m.Team)), out var cut);
        done["teams_more"] = cut;
        return [new PushFrame(TeamEventNames.Teams, new JsonObject { ["teams"] = rows, ["has_more"] = cut })];
    }
}
