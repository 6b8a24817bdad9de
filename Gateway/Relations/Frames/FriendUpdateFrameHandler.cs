using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>friend.update {account, alias}: sets a friend's alias ("" clears it). Ack {friend}.</summary>
public sealed class FriendUpdateFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "friend.update";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var account = RelationFields.Account(data);
        var alias = RelationFields.Alias(data);
        var friend = await grains.GetGrain<IRelationGrain>(session.UserId).UpdateFriend(account, alias, session.ConnectionId);
        return FrameReply.Ack(Type, new JsonObject { ["friend"] = RelationJson.Friend(friend) });
    }
}
