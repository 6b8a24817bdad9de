using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>Reply data of the recall / delete-for-self / clear-history frames and their REST twins (the same shape on both).</summary>
public static class MessageEditJson
{
    public static JsonObject Recalled(ChatMessage m) => new()
    {
        ["conv_id"] = m.ConvId,
        ["msg_id"] = m.MsgId,
        ["seq"] = m.Seq,
        ["recalled"] = m.Recalled,
    };

    public static JsonObject DeletedForSelf(string convId, IReadOnlyList<long> seqs) => new()
    {
        ["conv_id"] = convId,
        ["seqs"] = new JsonArray(seqs.Select(seq => (JsonNode)JsonValue.Create(seq)).ToArray()),
    };

    public static JsonObject ClearedForSelf(string convId, long clearedSeq) => new()
    {
        ["conv_id"] = convId,
        ["cleared_seq"] = clearedSeq,
    };
}
