using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.receipts (seed 002's teamMsgReceipts, queried): read/unread counts of up to
/// <see cref="ReceiptLimits.MaxSeqsPerQuery"/> messages of a conversation the user is in. Answered from the
/// conversation's in-memory read positions; seqs without a stored message are left out.
/// </summary>
public sealed class MessageReceiptsFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "msg.receipts";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        if (!JsonFields.TryGet(data, "seqs", out var seqsElement)) throw JsonFields.Missing("seqs");
        if (seqsElement.ValueKind != JsonValueKind.Array) throw JsonFields.WrongType("seqs", "an array of seqs");
        if (seqsElement.GetArrayLength() > ReceiptLimits.MaxSeqsPerQuery)
            throw new ImException(ImErrorCodes.LimitExceeded, $"'seqs' has more than {ReceiptLimits.MaxSeqsPerQuery} entries.");
        var seqs = new List<long>();
        foreach (var item in seqsElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var seq)) throw JsonFields.WrongType("seqs", "an array of integer seqs");
            seqs.Add(seq);
        }

        var receipts = await grains.GetGrain<IConversationGrain>(convId).GetReceipts(session.UserId, seqs);
        var rows = receipts.Select(r => (JsonNode)new JsonObject
        {
            ["seq"] = r.Seq,
            ["msg_id"] = r.MsgId,
            ["from_client"] = r.FromClient,
            ["read"] = r.Read,
            ["unread"] = r.Unread,
        }).ToArray();
        return FrameReply.Ack(Type, new JsonObject { ["conv_id"] = convId, ["receipts"] = new JsonArray(rows) });
    }
}
