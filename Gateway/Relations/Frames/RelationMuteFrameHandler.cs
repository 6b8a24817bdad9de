using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Relations.Frames;

/// <summary>relation.mute {account, add}: puts a user on (or takes them off) the mute list. Ack {account, add, time}.</summary>
public sealed class RelationMuteFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "relation.mute";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var account = RelationFields.Account(data);
        var add = RelationFields.RequiredFlag(data, "add");
        var entry = await grains.GetGrain<IRelationGrain>(session.UserId).SetMute(account, add, session.ConnectionId);
        return FrameReply.Ack(Type, new JsonObject { ["account"] = account, ["add"] = add, ["time"] = entry?.Time });
    }
}
