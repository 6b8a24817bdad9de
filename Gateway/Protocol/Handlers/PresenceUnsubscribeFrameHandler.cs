using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>presence.unsubscribe: stop watching up to 200 users.</summary>
public sealed class PresenceUnsubscribeFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "presence.unsubscribe";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var ids = JsonFields.RequiredUserIdArray(data, "user_ids", MessageLimits.MaxPresenceIds);
        session.Unwatch(ids);
        await Task.WhenAll(ids.Select(id => grains.GetGrain<IUserGrain>(id).UnwatchPresence(session.Observer)));
        return FrameReply.Ack(Type, new JsonObject { ["user_ids"] = new JsonArray(ids.Select(id => (JsonNode)id!).ToArray()) });
    }
}
