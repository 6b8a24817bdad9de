using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>user.get {accounts: [≤ 150 user ids]}: their name cards (unknown users left out). Ack {users}.</summary>
public sealed class UserGetFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "user.get";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken) =>
        FrameReply.Ack(Type, new JsonObject { ["users"] = NameCards.ToArray(await NameCards.LookUpAsync(grains, RelationFields.Accounts(data))) });
}
