using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.clear_history: clears the conversation's history up to now for the token's user only; the user's other devices
/// get clearServerHistoryMsgs. Messages sent afterwards show as usual.
/// </summary>
public sealed class MessageClearHistoryFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "msg.clear_history";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        var cleared = await grains.GetGrain<IConversationGrain>(convId).ClearHistoryForSelf(session.UserId, session.ConnectionId);
        return FrameReply.Ack(Type, MessageEditJson.ClearedForSelf(convId, cleared));
    }
}
