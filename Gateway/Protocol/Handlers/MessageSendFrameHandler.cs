using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Observability;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.send: the sender is always the token's user. The ack comes after the grain stored the message. Pipelined
/// frames to one conversation go through the connection's <see cref="OrderedSends"/>, so seq follows frame order.
/// </summary>
public sealed class MessageSendFrameHandler(IGrainFactory grains, GatewayMetrics metrics) : IFrameHandler
{
    public string Type => "msg.send";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var convId = JsonFields.RequiredConversationId(data);
        var request = SendMessageParser.Parse(data, session.UserId);
        SendResult result;
        try
        {
            result = await session.Sends.SendAsync(grains.GetGrain<IConversationGrain>(convId), convId, request);
        }
        catch (ImException e) when (e.Code == ImErrorCodes.ConversationNotFound)
        {
            // A user is told the same about a missing conversation as about one they are not in (no existence probe).
            throw ImException.NotMember(session.UserId, convId);
        }
        metrics.MessageAcknowledged(GatewayMetrics.Json, started);
        return FrameReply.Ack(Type, new JsonObject
        {
            ["conv_id"] = convId,
            ["msg_id"] = result.MsgId,
            ["seq"] = result.Seq,
            ["time"] = result.Time,
            ["duplicate"] = result.Duplicate,
            ["client_msg_id"] = request.ClientMsgId,
        });
    }
}
