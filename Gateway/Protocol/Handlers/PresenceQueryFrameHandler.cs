using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>presence.query: current ONLINE/OFFLINE of up to 200 users (seed 001's limit).</summary>
public sealed class PresenceQueryFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "presence.query";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var ids = JsonFields.RequiredUserIdArray(data, "user_ids", MessageLimits.MaxPresenceIds);
        var statuses = await Task.WhenAll(ids.Select(id => grains.GetGrain<IUserGrain>(id).GetPresence()));
        return FrameReply.Ack(Type, PresenceJson.Users(statuses));
    }
}
