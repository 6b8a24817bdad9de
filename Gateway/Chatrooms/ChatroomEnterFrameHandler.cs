using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Chatrooms;

/// <summary>
/// chatroom.enter {conv_id, limit?}: puts this connection in the room and answers the room's info and its newest
/// messages (oldest first, at most <c>limit</c>, Chatrooms:RecentMessages by default). Entering again is harmless. The
/// connection is in the room here before the room seats it, so no message sent after the ack is missed.
/// </summary>
public sealed class ChatroomEnterFrameHandler(
    IGrainFactory grains, ChatroomRelay relay, ConnectionManager connections, IOptions<ChatroomGatewayOptions> chatrooms, IOptions<GatewayOptions> options)
    : IFrameHandler
{
    public string Type => "chatroom.enter";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        var limit = JsonFields.OptionalInt(data, "limit") ?? ChatroomLimits.MaxRecentMessages;
        if (limit is < 0 or > ChatroomLimits.MaxRecentMessages)
            throw new ImException(ImErrorCodes.LimitExceeded, $"limit must be 0-{ChatroomLimits.MaxRecentMessages}.");
        var connection = connections.Find(session.ConnectionId)
            ?? throw new ImException(ImErrorCodes.Unavailable, "The connection is closing.");

        var max = chatrooms.Value.MaxRoomsPerConnection;
        var joined = relay.TryJoinLocal(connection, convId, max);
        if (joined == false) throw new ImException(ImErrorCodes.LimitExceeded, $"A connection may be in at most {max} chatrooms.");
        ChatroomEntry entry;
        try
        {
            entry = await grains.GetGrain<IChatroomGrain>(convId)
                .Enter(new ChatroomSeat(session.ConnectionId, session.UserId, relay.RelayId), relay.Reference, limit);
        }
        catch
        {
            if (joined == true) relay.LeaveLocal(session.ConnectionId, convId);
            throw;
        }

        // The budget keeps the newest messages that fit; the client gets them oldest first.
        var budget = new ReplyBudget(options.Value.MaxReplyBytes);
        var newestFirst = budget.Take(entry.Recent.Reverse().ToList(), out _);
        var messages = new JsonArray(newestFirst.Reverse().Select(m => m!.DeepClone()).ToArray());
        var reply = ChatroomJson.Info(entry.Info);
        reply["messages"] = messages;
        reply["truncated"] = budget.Truncated;
        return FrameReply.Ack(Type, reply);
    }
}
