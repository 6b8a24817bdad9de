using System.Text.Json;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>
/// Request fields naming messages, shared by the recall / delete-for-self / clear-history frames and their REST twins:
/// a message is named by <c>seq</c> or <c>msg_id</c> (recall), or by <c>seqs</c> and <c>msg_ids</c> arrays (delete).
/// </summary>
public static class MessageEditFields
{
    /// <summary>Longest msg_id accepted as input (ours are 32 hex chars).</summary>
    public const int MaxMsgIdLength = 64;

    /// <summary>The seq of a recall, 0 when absent (then msg_id names the message); negative or zero is 4406.</summary>
    public static long OptionalSeq(JsonElement data)
    {
        var seq = JsonFields.OptionalLong(data, "seq");
        if (seq is <= 0) throw JsonFields.WrongType("seq", "a positive integer");
        return seq ?? 0;
    }

    public static string? OptionalMsgId(JsonElement data) => JsonFields.OptionalString(data, "msg_id", MaxMsgIdLength);

    /// <summary>Recall needs one of seq and msg_id (4001 when neither is given).</summary>
    public static (long Seq, string? MsgId) RequiredMessage(JsonElement data)
    {
        var seq = OptionalSeq(data);
        var msgId = OptionalMsgId(data);
        if (seq == 0 && string.IsNullOrEmpty(msgId)) throw new ImException(ImErrorCodes.MissingParameter, "Missing required parameter 'seq' or 'msg_id'.");
        return (seq, msgId);
    }

    /// <summary>seqs and msg_ids of a delete: at most <see cref="MessageLimits.MaxDeleteSelfIds"/> together, at least one.</summary>
    public static (IReadOnlyList<long> Seqs, IReadOnlyList<string> MsgIds) RequiredMessageList(JsonElement data)
    {
        var seqs = new List<long>();
        var msgIds = new List<string>();
        if (JsonFields.TryGet(data, "seqs", out var seqArray))
        {
            if (seqArray.ValueKind != JsonValueKind.Array) throw JsonFields.WrongType("seqs", "an array of seqs");
            CheckCount(seqArray.GetArrayLength());
            foreach (var item in seqArray.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var seq) || seq <= 0)
                    throw JsonFields.WrongType("seqs", "an array of positive integer seqs");
                seqs.Add(seq);
            }
        }
        if (JsonFields.TryGet(data, "msg_ids", out var idArray))
        {
            if (idArray.ValueKind != JsonValueKind.Array) throw JsonFields.WrongType("msg_ids", "an array of msg_ids");
            CheckCount(seqs.Count + idArray.GetArrayLength());
            foreach (var item in idArray.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 and <= MaxMsgIdLength } id)
                    throw JsonFields.WrongType("msg_ids", $"an array of msg_ids (1-{MaxMsgIdLength} characters)");
                msgIds.Add(id);
            }
        }
        if (seqs.Count + msgIds.Count == 0) throw new ImException(ImErrorCodes.MissingParameter, "Missing required parameter 'seqs' or 'msg_ids'.");
        return (seqs, msgIds);
    }

    private static void CheckCount(int count)
    {
        if (count > MessageLimits.MaxDeleteSelfIds)
            throw new ImException(ImErrorCodes.LimitExceeded, $"At most {MessageLimits.MaxDeleteSelfIds} messages (seqs and msg_ids together) per request.");
    }
}
