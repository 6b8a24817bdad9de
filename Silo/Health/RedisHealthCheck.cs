using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace OrleansIm.Silo.Health;

/// <summary>
/// Readiness of a cluster silo: the Redis server holding membership and reminders answers PING. One connection of
/// its own, opened at the first check and kept (StackExchange.Redis reconnects it by itself).
/// </summary>
public sealed class RedisHealthCheck(string connectionString) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connection = await ConnectAsync(cancellationToken);
        var latency = await connection.GetDatabase().PingAsync();
        return HealthCheckResult.Healthy($"Redis answers ({latency.TotalMilliseconds:0} ms)");
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } existing) return existing;
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is null)
            {
                var options = ConfigurationOptions.Parse(connectionString);
                options.AbortOnConnectFail = false; // a Redis that is down now is retried in the background
                _connection = await ConnectionMultiplexer.ConnectAsync(options);
            }
            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _connecting.Dispose();
    }
}
