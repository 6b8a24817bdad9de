using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Protocol;
using Orleans;

namespace OrleansIm.Gateway.Teams;

/// <summary>
/// One <c>team.*</c> request frame (one of <see cref="TeamFrames.All"/>): reads its fields and calls the team grain, which
/// checks permissions. Replies <c>&lt;type&gt;.ack</c> with the data the action returns.
/// </summary>
public sealed class TeamFrameHandler(
    string type, Func<IGrainFactory, AppCredentials, ClientSession, JsonElement, Task<JsonObject>> action, IGrainFactory grains, AppCredentials app)
    : IFrameHandler
{
    public string Type => type;

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken) =>
        FrameReply.Ack(Type, await action(grains, app, session, data));
}
