using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Gateway.Observability;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.send: the sender is always the token's user. The ack comes after the grain stored the message. Pipelined
/// frames to one conversation go through the connection's <see cref="OrderedSends"/>, so seq follows frame order.
/// A valid send first takes its permits from the user's <see cref="SendRateLimits"/> (4290 with retry_after_ms when out).
/// </summary>
public sealed class MessageSendFrameHandler(IGrainFactory grains, SendRateLimits limits, GatewayMetrics metrics) : IFrameHandler
{
    public string Type => "msg.send";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var convId = JsonFields.RequiredConversationId(data);
        var request = SendMessageParser.Parse(data, session.UserId);
        if (limits.TryAcquire(session.UserId, Weight(request)) is { } retryAfter)
            throw new RateLimitedException("Too many messages; retry after retry_after_ms.", retryAfter);
        SendResult result;
        try
        {
            result = await session.Sends.SendAsync(grains.GetGrainWithCachedType<IConversationGrain>(convId), convId, request);
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

    /// <summary>A send's size for the size-weighted limit: the characters a recipient receives (fan-out and storage grow with them).</summary>
    private static int Weight(SendMessageRequest request) =>
        (request.Text?.Length ?? 0) + (request.Attr?.Length ?? 0) + (request.Url?.Length ?? 0) + (request.MentionClientIds?.Length ?? 0);
}
