using System.Text.Json;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Chatrooms;

/// <summary>chatroom.exit {conv_id}: takes this connection out of the room (4601 if it is not in it) and answers the room's info.</summary>
public sealed class ChatroomExitFrameHandler(IGrainFactory grains, ChatroomRelay relay) : IFrameHandler
{
    public string Type => "chatroom.exit";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        if (!relay.LeaveLocal(session.ConnectionId, convId))
            throw new ImException(ImErrorCodes.NotInChatroom, $"This connection is not in chatroom '{convId}'.");
        var info = await grains.GetGrain<IChatroomGrain>(convId).Exit(session.ConnectionId, relay.RelayId);
        return FrameReply.Ack(Type, ChatroomJson.Info(info));
    }
}
