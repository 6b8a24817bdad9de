using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Protocol.Sync;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Sync;

/// <summary>
/// Sync option <c>friends</c> (on by default) → frame <c>friends</c> {friends: [{account, alias, create_time, update_time}]}:
/// the whole list, at most <see cref="RelationLimits.MaxFriends"/> small rows.
/// </summary>
public sealed class FriendsSyncSection(IGrainFactory grains) : ILoginSyncSection
{
    public string Option => "friends";

    public IReadOnlyCollection<string> ExtraOptions => [];

    public bool OnByDefault => true;

    public int Order => 20;

    public async Task<IReadOnlyList<PushFrame>> BuildAsync(ClientSession session, JsonElement options, ReplyBudget budget, JsonObject done, LoginSyncCache shared, CancellationToken cancellationToken) =>
        [new PushFrame("friends", new JsonObject { ["friends"] = RelationJson.Friends(await grains.GetGrain<IRelationGrain>(session.UserId).GetFriends()) })];
}
