using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Calls;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>rtc.signaling: Seed 001 WebRTC signaling (OFFER/ANSWER/ICE_CANDIDATE), relayed in order to the other party's device.</summary>
public sealed class RtcSignalingFrameHandler(CallCommands commands) : IFrameHandler
{
    public string Type => "rtc.signaling";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        await commands.SignalAsync(session.UserId, session.DeviceSession, data);
        return FrameReply.Ack(Type, new JsonObject { ["callId"] = data.GetProperty("callId").GetString() });
    }
}
