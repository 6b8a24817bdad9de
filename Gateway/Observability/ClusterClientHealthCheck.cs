using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans;

namespace OrleansIm.Gateway.Observability;

/// <summary>
/// Readiness of a gateway-only process: its Orleans client has a connection to at least one silo. Orleans reports
/// every gateway connection opened and closed through <see cref="IClusterConnectionStatusObserver"/>.
/// </summary>
public sealed class ClusterClientHealthCheck : IHealthCheck, IClusterConnectionStatusObserver
{
    private int _connectedSilos;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        Volatile.Write(ref _connectedSilos, currentNumberOfGateways);

    public void NotifyClusterConnectionLost() => Volatile.Write(ref _connectedSilos, 0);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var silos = Volatile.Read(ref _connectedSilos);
        return Task.FromResult(silos > 0
            ? HealthCheckResult.Healthy($"connected to {silos} silo(s)")
            : HealthCheckResult.Unhealthy("not connected to the cluster"));
    }
}
