using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>The JSON shapes of a message: the msg.new push (seed 003 fields + seq, client_msg_id) and the REST history row.</summary>
public static class MessageJson
{
    /// <summary>Seed 003 msg.new data plus our seq, client_msg_id and recalled. Also the row shape of socket history/sync.</summary>
    public static JsonObject ToPush(ChatMessage m) => new()
    {
        ["from_client"] = m.FromClient,
        ["conv_id"] = m.ConvId,
        ["msg_id"] = m.MsgId,
        ["ctime"] = m.CTime,
        ["type"] = m.Type,
        ["text"] = m.Text,
        ["attr"] = RawToNode(m.Attr),
        ["url"] = m.Url,
        ["transient"] = m.Transient ? 1 : 0,
        ["mention_all"] = m.MentionAll ? 1 : 0,
        ["mention_client_ids"] = RawToNode(m.MentionClientIds),
        ["no_sync"] = m.NoSync,
        ["seq"] = m.Seq,
        ["client_msg_id"] = m.ClientMsgId,
        ["recalled"] = m.Recalled,
    };

    /// <summary>Seed 003 history row (GET /im/conversations/{id}/message) plus our seq and recalled.</summary>
    public static JsonObject ToHistoryRow(ChatMessage m) => new()
    {
        ["msg_id"] = m.MsgId,
        ["conv_id"] = m.ConvId,
        ["type"] = m.Type,
        ["text"] = m.Text,
        ["attr"] = RawToNode(m.Attr),
        ["url"] = m.Url,
        ["ctime"] = m.CTime,
        ["msg_status"] = 1,
        ["no_sync"] = m.NoSync,
        ["mention_all"] = m.MentionAll ? 1 : 0,
        ["mention_client_ids"] = RawToNode(m.MentionClientIds),
        ["transient"] = m.Transient ? 1 : 0,
        ["mtime"] = null,
        ["client_id"] = m.FromClient,
        ["seq"] = m.Seq,
        ["recalled"] = m.Recalled,
    };

    public static JsonArray ToPushArray(IEnumerable<ChatMessage> messages) => new(messages.Select(m => (JsonNode)ToPush(m)).ToArray());

    /// <summary>Stored raw JSON back to a node; text that is somehow not JSON is returned as a string rather than failing the reply.</summary>
    public static JsonNode? RawToNode(string? raw)
    {
        if (raw is null) return null;
        try
        {
            return JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            return JsonValue.Create(raw);
        }
    }
}
