using Orleans;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// A gateway-only process (an Orleans client) hears of cluster changes as changes in its set of silo gateways.
/// A silo that died took its user grains' in-memory device lists with it: every connection re-registers at its
/// next maintenance tick (≤ 5 s) instead of at its next periodic refresh. Processes that co-host a silo use
/// the silo's membership updates instead (Silo/MembershipUpdatesRefresher).
/// </summary>
public sealed class MembershipChangeRefresher(ConnectionManager connections) : IClusterConnectionStatusObserver
{
    public void NotifyClusterConnectionLost() => connections.RequestRefreshAll();

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        connections.RequestRefreshAll();
}
