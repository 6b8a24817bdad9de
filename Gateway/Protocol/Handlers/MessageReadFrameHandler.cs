using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.read: moves the user's read cursor of a conversation forward (never backward). The user's other devices get
/// updateSession; this one has the ack.
/// </summary>
public sealed class MessageReadFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "msg.read";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        var seq = JsonFields.OptionalLong(data, "seq") ?? throw JsonFields.Missing("seq");
        if (seq < 0) throw new ImException(ImErrorCodes.InvalidParameter, "'seq' must not be negative.");
        await grains.GetGrainWithCachedType<IUserGrain>(session.UserId).MarkRead(convId, seq, session.ConnectionId);
        return FrameReply.Ack(Type, new JsonObject { ["conv_id"] = convId, ["seq"] = seq });
    }
}
