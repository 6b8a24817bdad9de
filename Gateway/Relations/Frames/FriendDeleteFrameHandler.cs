using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>friend.delete {account}: ends a friendship on both sides. Ack {account}.</summary>
public sealed class FriendDeleteFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "friend.delete";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var account = RelationFields.Account(data);
        await grains.GetGrain<IRelationGrain>(session.UserId).DeleteFriend(account, session.ConnectionId);
        return FrameReply.Ack(Type, new JsonObject { ["account"] = account });
    }
}
