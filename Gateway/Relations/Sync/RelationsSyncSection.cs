using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Protocol.Sync;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Sync;

/// <summary>
/// Sync option <c>relations</c> (on by default) → frame <c>relations</c> {blacklist, mutelist, muted_sessions}: small
/// bounded lists (<see cref="RelationLimits"/>), sent whole.
/// </summary>
public sealed class RelationsSyncSection(IGrainFactory grains) : ILoginSyncSection
{
    public string Option => "relations";

    public IReadOnlyCollection<string> ExtraOptions => [];

    public bool OnByDefault => true;

    public int Order => 10;

    public async Task<IReadOnlyList<PushFrame>> BuildAsync(ClientSession session, JsonElement options, ReplyBudget budget, JsonObject done, LoginSyncCache shared, CancellationToken cancellationToken) =>
        [new PushFrame("relations", RelationJson.Lists(await grains.GetGrain<IRelationGrain>(session.UserId).GetRelations()))];
}
