using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansIm.Gateway.Protocol;

/// <summary>Builds the UTF-8 bytes of every server→client frame.</summary>
public static class ServerFrames
{
    public const string Error = "error";
    public const string MessageNew = "msg.new";
    public const string Presence = "presence";
    public const string LogoutKick = "logout.kick";
    /// <summary>The gateway is draining: the last frame before close 4503 (docs/protocol.md § Close codes).</summary>
    public const string ServerDrain = "server.drain";
    public const string ReconnectAfterMs = "reconnect_after_ms";

    public static byte[] Reply(FrameReply reply, JsonNode? id)
    {
        var frame = new JsonObject { ["type"] = reply.Type };
        if (reply.Msg is not null) frame["msg"] = reply.Msg;
        frame["id"] = id?.DeepClone();
        frame["data"] = reply.Data;
        return Serialize(frame);
    }

    /// <param name="retryAfterMs">For 4290 (rate limited): when to try again, as "retry_after_ms".</param>
    public static byte[] ErrorFrame(JsonNode? id, int code, string message, long? retryAfterMs = null)
    {
        var frame = new JsonObject
        {
            ["type"] = Error,
            ["id"] = id?.DeepClone(),
            ["code"] = code,
            ["msg"] = message,
        };
        if (retryAfterMs is { } ms) frame["retry_after_ms"] = ms;
        return Serialize(frame);
    }

    /// <summary>{"type":"server.drain","data":{"reconnect_after_ms":N}}: reconnect (elsewhere) after N ms and msg.sync.</summary>
    public static byte[] Drain(int reconnectAfterMs) => Push(ServerDrain, new JsonObject { [ReconnectAfterMs] = reconnectAfterMs });

    public static byte[] Push(string type, JsonObject data) => Serialize(new JsonObject { ["type"] = type, ["data"] = data });

    private static byte[] Serialize(JsonObject frame) => GatewayJson.ToUtf8(frame);
}
