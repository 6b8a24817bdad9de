using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.readers: who has read one message (data.unread = 1: who has not), paged by user id: data.cursor (the previous
/// page's cursor) and data.limit (≤ <see cref="ReceiptLimits.MaxReadersPage"/>, default 50). The sender is never listed.
/// </summary>
public sealed class MessageReadersFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public const int DefaultLimit = 50;

    public string Type => "msg.readers";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        var seq = JsonFields.OptionalLong(data, "seq") ?? throw JsonFields.Missing("seq");
        var unread = JsonFields.OptionalFlag(data, "unread");
        var cursor = JsonFields.OptionalString(data, "cursor", UserIds.MaxLength);
        var limit = JsonFields.OptionalInt(data, "limit") ?? DefaultLimit;
        if (limit < 1) throw new ImException(ImErrorCodes.InvalidParameter, "'limit' must be 1 or more.");
        if (limit > ReceiptLimits.MaxReadersPage) throw new ImException(ImErrorCodes.LimitExceeded, $"'limit' must be at most {ReceiptLimits.MaxReadersPage}.");

        var page = await grains.GetGrain<IConversationGrain>(convId).GetReaders(session.UserId, seq, !unread, cursor, limit);
        return FrameReply.Ack(Type, new JsonObject
        {
            ["conv_id"] = convId,
            ["seq"] = seq,
            ["unread"] = unread ? 1 : 0,
            ["users"] = new JsonArray(page.UserIds.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
            ["has_more"] = page.NextCursor is not null,
            ["cursor"] = page.NextCursor,
        });
    }
}
