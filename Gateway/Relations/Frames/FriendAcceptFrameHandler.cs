using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>friend.accept {account, sysmsg_id}: accepts the friend request in notification sysmsg_id. Ack {friend}.</summary>
public sealed class FriendAcceptFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "friend.accept";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var account = RelationFields.Account(data);
        var sysMsgId = RelationFields.SysMsgId(data);
        var friend = await grains.GetGrain<IRelationGrain>(session.UserId).AcceptFriend(account, sysMsgId, session.ConnectionId);
        return FrameReply.Ack(Type, new JsonObject { ["friend"] = RelationJson.Friend(friend) });
    }
}
