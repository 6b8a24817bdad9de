using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>Application heartbeat: ping → pong with the server time. Any frame resets the idle timeout.</summary>
public sealed class PingFrameHandler(TimeProvider time) : IFrameHandler
{
    public string Type => "ping";

    public Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken) =>
        Task.FromResult(new FrameReply("pong", new JsonObject { ["time"] = time.GetUtcNow().ToUnixTimeMilliseconds() }));
}
