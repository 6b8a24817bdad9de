using System.Text.Json;
using OrleansIm.Gateway.Calls;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>call.response: Seed 001 Call-Response (ACCEPT/REJECT) from this device; the callee's other devices get call.down.</summary>
public sealed class CallResponseFrameHandler(CallCommands commands) : IFrameHandler
{
    public string Type => "call.response";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var info = await commands.RespondAsync(session.UserId, session.DeviceSession, data);
        return FrameReply.Ack(Type, CallJson.ToJson(info));
    }
}
