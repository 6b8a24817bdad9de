using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansIm.Gateway.Sockets;

namespace OrleansIm.Gateway.Observability;

/// <summary>Readiness of a process that serves clients: unhealthy from the moment the gateway starts draining, so a load balancer stops sending new clients.</summary>
public sealed class DrainHealthCheck(ConnectionManager connections) : IHealthCheck
{
    public const string Name = "gateway-drain";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connections.IsDraining
            ? HealthCheckResult.Unhealthy("The gateway is draining (shutting down).")
            : HealthCheckResult.Healthy());
}
