using OrleansIm.Gateway.Sockets;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Admin;

/// <summary>
/// This gateway as the gateway directory reaches it (<see cref="IGatewayObserver"/>): counts and broadcasts over the
/// connections it holds, from memory, without grain calls. Held by the container for the process's life, because Orleans
/// keeps observer objects only through weak references.
/// </summary>
public sealed class LocalGateway(ConnectionManager connections, GatewayIdentity identity) : IGatewayObserver
{
    public Task<GatewayLoad> GetLoad()
    {
        var clients = connections.Snapshot();
        var load = new GatewayLoad(
            identity.Name,
            Reachable: true,
            clients.Count,
            clients.Select(c => c.UserId).Distinct(StringComparer.Ordinal).Count(),
            clients.GroupBy(c => c.DeviceType, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            clients.GroupBy(c => c.Dialect, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
        return Task.FromResult(load);
    }

    /// <summary>
    /// Hands the event to each connection's own observer, as a user grain's Notify would: the same frame (/ws type = the
    /// event's name, STOMP /user/queue/event/{name}), queued on each socket (a full queue closes that socket, 1008).
    /// </summary>
    public Task<int> Broadcast(ClientEvent clientEvent)
    {
        var reached = 0;
        foreach (var connection in connections.Snapshot())
        {
            if (connection.Observer is not { } observer) continue;
            observer.OnEvent(clientEvent);
            reached++;
        }
        return Task.FromResult(reached);
    }
}
