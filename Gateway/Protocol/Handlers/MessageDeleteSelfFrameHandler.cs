using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.delete_self: hides messages (seqs and/or msg_ids) from the token's user's own history and sync; the user's other
/// devices get deleteSelfMsgs.
/// </summary>
public sealed class MessageDeleteSelfFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "msg.delete_self";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        var (seqs, msgIds) = MessageEditFields.RequiredMessageList(data);
        var hidden = await grains.GetGrain<IConversationGrain>(convId).DeleteForSelf(session.UserId, seqs, msgIds, session.ConnectionId);
        return FrameReply.Ack(Type, MessageEditJson.DeletedForSelf(convId, hidden));
    }
}
