using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Silo.Health;

/// <summary>Readiness of a cluster silo: PostgreSQL (grain state, messages, index) answers a query.</summary>
public sealed class PostgresHealthCheck(PostgresDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return await command.ExecuteScalarAsync(cancellationToken);
        });
        return HealthCheckResult.Healthy("PostgreSQL answers");
    }
}
