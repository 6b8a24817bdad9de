using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Silo.Health;

/// <summary>Readiness of a standalone node: its SQLite database answers a query.</summary>
public sealed class SqliteHealthCheck(SqliteDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return command.ExecuteScalar();
        });
        return HealthCheckResult.Healthy("SQLite answers");
    }
}
