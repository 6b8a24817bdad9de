using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A gateway as the <see cref="IGatewayDirectoryGrain"/> reaches it: one per gateway process (an Orleans client, or the
/// standalone node's own), for the admin API's cluster-wide figures and broadcasts. Each method answers from the
/// gateway's memory, so a call that gets no answer within 5 s means the gateway is gone.
/// </summary>
[Alias("im.IGatewayObserver")]
public interface IGatewayObserver : IGrainObserver
{
    /// <summary>The gateway's connections now.</summary>
    [ResponseTimeout("00:00:05")]
    Task<GatewayLoad> GetLoad();

    /// <summary>Pushes the event to every client connection of this gateway (both dialects); returns how many it reached.</summary>
    [ResponseTimeout("00:00:05")]
    Task<int> Broadcast(ClientEvent clientEvent);
}
