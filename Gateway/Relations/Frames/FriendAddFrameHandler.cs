using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>
/// friend.add {account, verify?, ps?}: adds a friend at once (verify false/absent) or sends a friend request (verify
/// true). Ack {friend (null while a request waits), sysmsg_id (the other user's notification, null if already friends)}.
/// </summary>
public sealed class FriendAddFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "friend.add";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var account = RelationFields.Account(data);
        var verify = JsonFields.OptionalFlag(data, "verify");
        var ps = RelationFields.Ps(data);
        var result = await grains.GetGrain<IRelationGrain>(session.UserId).AddFriend(account, verify, ps, session.ConnectionId);
        return FrameReply.Ack(Type, new JsonObject
        {
            ["account"] = account,
            ["friend"] = result.Friend is null ? null : RelationJson.Friend(result.Friend),
            ["sysmsg_id"] = result.SysMsgId,
        });
    }
}
