using System.Text.Json;
using OrleansIm.Gateway.Calls;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>turn.credentials: the ICE servers with fresh TURN credentials for this user (seed 001's get-turn-credentials).</summary>
public sealed class TurnCredentialsFrameHandler(TurnCredentialService turn) : IFrameHandler
{
    public string Type => "turn.credentials";

    public Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken) =>
        Task.FromResult(FrameReply.Ack(Type, turn.GetIceServers(session.UserId)));
}
