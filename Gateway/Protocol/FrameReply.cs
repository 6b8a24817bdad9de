using System.Text.Json.Nodes;

namespace OrleansIm.Gateway.Protocol;

/// <summary>A successful reply to a request frame: normally "&lt;type&gt;.ack"; seed 003's login answers "login.success" with a msg.</summary>
public sealed record FrameReply(string Type, JsonObject Data, string? Msg = null)
{
    /// <summary>Frames sent before the reply, in this order (the login sync sends its parts, then syncdone as the reply).</summary>
    public IReadOnlyList<PushFrame> Leading { get; init; } = [];

    public static FrameReply Ack(string requestType, JsonObject data) => new(requestType + ".ack", data);
}
