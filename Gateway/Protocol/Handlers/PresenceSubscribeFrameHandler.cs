using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// presence.subscribe: watch up to 200 users per frame; later changes arrive as "presence" pushes. The ack
/// carries their current status so the client needs no separate query. Subscriptions are refreshed by the
/// connection and dropped when it closes.
/// </summary>
public sealed class PresenceSubscribeFrameHandler(IGrainFactory grains, IOptions<GatewayOptions> options) : IFrameHandler
{
    public string Type => "presence.subscribe";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var ids = JsonFields.RequiredUserIdArray(data, "user_ids", MessageLimits.MaxPresenceIds);
        if (!session.TryWatch(ids, options.Value.MaxPresenceSubscriptions))
            throw new ImException(ImErrorCodes.LimitExceeded, $"A connection may watch at most {options.Value.MaxPresenceSubscriptions} users.");

        var statuses = await Task.WhenAll(ids.Select(async id =>
        {
            var user = grains.GetGrain<IUserGrain>(id);
            await user.WatchPresence(session.Observer);
            return await user.GetPresence();
        }));
        return FrameReply.Ack(Type, PresenceJson.Users(statuses));
    }
}
