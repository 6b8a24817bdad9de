using System.Text.Json;
using OrleansIm.Gateway.Calls;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>call.request: Seed 001 Call-Request from this socket's device: rings every online device of the callee.</summary>
public sealed class CallRequestFrameHandler(CallCommands commands) : IFrameHandler
{
    public string Type => "call.request";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var info = await commands.RequestAsync(session.UserId, session.DeviceSession, data);
        return FrameReply.Ack(Type, CallJson.ToJson(info));
    }
}
