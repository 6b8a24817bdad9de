using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>relation.list: the black list, mute list and muted conversations. Ack {blacklist, mutelist, muted_sessions}.</summary>
public sealed class RelationListFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "relation.list";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken) =>
        FrameReply.Ack(Type, RelationJson.Lists(await grains.GetGrain<IRelationGrain>(session.UserId).GetRelations()));
}
