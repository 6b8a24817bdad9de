using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// Runs the graceful drain when the host stops (SIGTERM, Ctrl+C, StopAsync). It drains in StoppingAsync, which the
/// host runs before any hosted service's StopAsync: Kestrel still serves (readiness answers 503, new requests get
/// 503) and, in a node that hosts a silo, the silo still runs, so in-flight frames reach their grains and the
/// silo stops only after the gateway has drained. The host's ShutdownTimeout is extended to cover it
/// (<see cref="GatewayServiceCollectionExtensions.AddOrleansImGateway"/>).
/// </summary>
public sealed class GatewayDrainService(ConnectionManager connections, IOptions<GatewayOptions> options, IHostApplicationLifetime lifetime)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // SIGTERM fires ApplicationStopping before the host stops its services: turn unready at that very moment.
        lifetime.ApplicationStopping.Register(connections.BeginDrain);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => connections.DrainAsync(options.Value.DrainTimeout, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
