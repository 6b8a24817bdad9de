using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>friend.reject {account, sysmsg_id, ps?}: rejects the friend request in notification sysmsg_id. Ack {account}.</summary>
public sealed class FriendRejectFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "friend.reject";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var account = RelationFields.Account(data);
        var sysMsgId = RelationFields.SysMsgId(data);
        var ps = RelationFields.Ps(data);
        await grains.GetGrain<IRelationGrain>(session.UserId).RejectFriend(account, sysMsgId, ps, session.ConnectionId);
        return FrameReply.Ack(Type, new JsonObject { ["account"] = account });
    }
}
