using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansIm.Gateway.Observability;

namespace OrleansIm.Silo.Health;

/// <summary>The readiness checks of each kind of silo; each check has its own deadline so one slow database cannot hold the probe.</summary>
public static class SiloHealthChecks
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);
    private static readonly string[] Ready = [HealthEndpoints.ReadyTag];

    /// <summary>Standalone node: the silo is Active and SQLite answers.</summary>
    public static IHealthChecksBuilder AddStandaloneReadiness(this IHealthChecksBuilder checks) => checks
        .AddCheck<SiloActiveHealthCheck>("silo", tags: Ready, timeout: CheckTimeout)
        .AddCheck<SqliteHealthCheck>("sqlite", tags: Ready, timeout: CheckTimeout);

    /// <summary>Cluster silo: the silo is Active, PostgreSQL and Redis answer.</summary>
    public static IHealthChecksBuilder AddClusterSiloReadiness(this IHealthChecksBuilder checks, string redisConnectionString)
    {
        checks.Services.AddSingleton(_ => new RedisHealthCheck(redisConnectionString));
        return checks
            .AddCheck<SiloActiveHealthCheck>("silo", tags: Ready, timeout: CheckTimeout)
            .AddCheck<PostgresHealthCheck>("postgres", tags: Ready, timeout: CheckTimeout)
            .AddCheck<RedisHealthCheck>("redis", tags: Ready, timeout: CheckTimeout);
    }
}
