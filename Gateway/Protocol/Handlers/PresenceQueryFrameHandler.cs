using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// presence.query: current ONLINE/OFFLINE of up to 200 users (seed 001's limit). One user-index read first: only users
/// who have logged in can be online, so the others are OFFLINE without activating or reading their grains.
/// </summary>
public sealed class PresenceQueryFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "presence.query";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var ids = JsonFields.RequiredUserIdArray(data, "user_ids", MessageLimits.MaxPresenceIds);
        var known = (await grains.GetGrain<IUserDirectoryGrain>(0).FindKnown(ids)).ToHashSet(StringComparer.Ordinal);
        var statuses = await Task.WhenAll(ids.Select(id => known.Contains(id)
            ? grains.GetGrain<IUserGrain>(id).GetPresence()
            : Task.FromResult(new PresenceChange(id, PresenceStatus.Offline))));
        return FrameReply.Ack(Type, PresenceJson.Users(statuses));
    }
}
