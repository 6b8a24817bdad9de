using System.Text.Json;
using OrleansIm.Gateway.Calls;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>call.hangup: Seed 001 Call-Hangup; without callId it hangs up the user's current call.</summary>
public sealed class CallHangupFrameHandler(CallCommands commands) : IFrameHandler
{
    public string Type => "call.hangup";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var info = await commands.HangupAsync(session.UserId, session.DeviceSession, data);
        return FrameReply.Ack(Type, CallJson.ToJson(info));
    }
}
