using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansIm.Silo.Health;

/// <summary>Readiness: this silo is Active in Orleans' membership (not still joining, not shutting down or dead).</summary>
public sealed class SiloActiveHealthCheck(IClusterMembershipService membership, ILocalSiloDetails localSilo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("silo is Active")
            : HealthCheckResult.Unhealthy($"silo is {status}"));
    }
}
