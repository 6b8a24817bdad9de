using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Protocol.Sync;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Sync;

/// <summary>
/// Sync option <c>friendUsers</c> (on by default) → frame <c>users</c> {users: [name card]}: the name cards of the
/// friends whose entries changed last, at most <see cref="MaxUsers"/> and within the sync's reply budget (one profile
/// read per friend, so it is bounded). When some are left out syncdone says <c>friend_users_more: true</c>; the client
/// gets the rest with <c>user.get</c>.
/// </summary>
public sealed class FriendUsersSyncSection(IGrainFactory grains) : ILoginSyncSection
{
    /// <summary>Most name cards in the sync's <c>users</c> frame.</summary>
    public const int MaxUsers = 500;

    public string Option => "friendUsers";

    public IReadOnlyCollection<string> ExtraOptions => [];

    public bool OnByDefault => true;

    public int Order => 150;

    public async Task<IReadOnlyList<PushFrame>> BuildAsync(ClientSession session, JsonElement options, ReplyBudget budget, JsonObject done, LoginSyncCache shared, CancellationToken cancellationToken)
    {
        var friends = await grains.GetGrain<IRelationGrain>(session.UserId).GetFriends();
        var ids = friends.OrderByDescending(f => f.UpdateTime).Take(MaxUsers).Select(f => f.Account).ToList();
        var cards = await NameCards.LookUpAsync(grains, ids);
        var taken = budget.TakeRows(cards, out var cut);
        done["friend_users_more"] = cut || friends.Count > MaxUsers;
        return [new PushFrame("users", new JsonObject { ["users"] = taken })];
    }
}
