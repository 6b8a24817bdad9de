using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.recall: the token's user recalls a message they sent, within ImGrains:RecallWindow. The conversation clears its
/// content and every member's devices get sysMsg (deleteMsg), except this connection, which has the ack.
/// </summary>
public sealed class MessageRecallFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "msg.recall";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        var (seq, msgId) = MessageEditFields.RequiredMessage(data);
        var recalled = await grains.GetGrain<IConversationGrain>(convId).Recall(session.UserId, seq, msgId, session.ConnectionId);
        return FrameReply.Ack(Type, MessageEditJson.Recalled(recalled));
    }
}
