using System.Text.Json;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Chatrooms;

/// <summary>chatroom.info {conv_id}: the room's online count and metadata, for anyone (in the room or not), plus whether this connection is in it.</summary>
public sealed class ChatroomInfoFrameHandler(IGrainFactory grains, ChatroomRelay relay) : IFrameHandler
{
    public string Type => "chatroom.info";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        var info = await grains.GetGrain<IChatroomGrain>(convId).GetChatroomInfo(session.UserId);
        var reply = ChatroomJson.Info(info);
        reply["in_room"] = relay.IsInLocal(session.ConnectionId, convId);
        return FrameReply.Ack(Type, reply);
    }
}
