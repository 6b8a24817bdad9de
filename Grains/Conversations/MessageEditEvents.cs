using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Conversations;

/// <summary>
/// The named client events of recall, delete for self and clear history for self (docs/protocol.md § 3). Names are
/// seed 002's: it lists <c>deleteSelfMsgs</c> and <c>clearServerHistoryMsgs</c>; a recall has no event of its own there
/// (the NIM SDK delivers it as a system notification of type <c>deleteMsg</c>), so it is <c>sysMsg</c> with that type,
/// where a NIM-style client already looks for it.
/// </summary>
internal static class MessageEditEvents
{
    public const string SystemMessage = "sysMsg";
    public const string RecallType = "deleteMsg";
    public const string DeleteSelf = "deleteSelfMsgs";
    public const string ClearHistory = "clearServerHistoryMsgs";

    /// <param name="operatorId">The user who recalled it, null for the server API.</param>
    public static ClientEvent Recalled(ChatMessage message, string? operatorId, long time) => new(SystemMessage, new JsonObject
    {
        ["type"] = RecallType,
        ["conv_id"] = message.ConvId,
        ["msg_id"] = message.MsgId,
        ["seq"] = message.Seq,
        ["from_client"] = message.FromClient,
        ["client_msg_id"] = message.ClientMsgId,
        ["msg_time"] = message.CTime,
        ["ope_client"] = operatorId,
        ["time"] = time,
    }.ToJsonString());

    public static ClientEvent DeletedForSelf(string convId, IReadOnlyList<long> seqs, long time) => new(DeleteSelf, new JsonObject
    {
        ["conv_id"] = convId,
        ["seqs"] = new JsonArray(seqs.Select(seq => (JsonNode)JsonValue.Create(seq)).ToArray()),
        ["time"] = time,
    }.ToJsonString());

    public static ClientEvent ClearedForSelf(string convId, long clearedSeq, long time) => new(ClearHistory, new JsonObject
    {
        ["conv_id"] = convId,
        ["cleared_seq"] = clearedSeq,
        ["time"] = time,
    }.ToJsonString());
}
