using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>friend.list: the whole friend list (at most RelationLimits.MaxFriends). Ack {friends}.</summary>
public sealed class FriendListFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "friend.list";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var friends = await grains.GetGrain<IRelationGrain>(session.UserId).GetFriends();
        return FrameReply.Ack(Type, new JsonObject { ["friends"] = RelationJson.Friends(friends) });
    }
}
