using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// The cluster's gateways, for the admin API: each gateway registers its <see cref="IGatewayObserver"/> at start and
/// again every <c>Admin:GatewayRegistrationInterval</c>; a registration not renewed within its expiry is dropped, and so
/// is one whose gateway fails to answer. Kept in memory only: after a silo failure the grain comes back empty and fills
/// up again within one interval. One activation, key 0.
/// </summary>
[Alias("im.IGatewayDirectoryGrain")]
public interface IGatewayDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or renews a gateway; it is forgotten after <paramref name="expiry"/> without renewal.</summary>
    Task Register(string gateway, IGatewayObserver observer, TimeSpan expiry);

    /// <summary>Forgets a gateway (it is shutting down).</summary>
    Task Unregister(string gateway);

    /// <summary>Asks every registered gateway for its <see cref="GatewayLoad"/>, in parallel.</summary>
    Task<IReadOnlyList<GatewayLoad>> GetLoads();

    /// <summary>Has every registered gateway push the event to all its connections; returns the loads-style per-gateway reach.</summary>
    Task<IReadOnlyList<GatewayBroadcast>> Broadcast(ClientEvent clientEvent);
}
