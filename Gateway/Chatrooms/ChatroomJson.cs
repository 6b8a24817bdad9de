using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Chatrooms;

/// <summary>Client JSON of a chatroom (docs/protocol.md § Chatrooms).</summary>
public static class ChatroomJson
{
    public static JsonObject Info(ChatroomInfo info) => new()
    {
        ["conv_id"] = info.ConvId,
        ["online"] = info.Online,
        ["connections"] = info.Connections,
        ["creator_id"] = info.CreatorId,
        ["conv_extend"] = MessageJson.RawToNode(info.ConvExtend),
        ["ctime"] = info.CTime,
        ["last_seq"] = info.LastSeq,
    };
}
