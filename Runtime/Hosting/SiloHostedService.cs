using Microsoft.Extensions.Hosting;

namespace OrleansIm.Runtime.Hosting;

/// <summary>Starts the silo with the host and, on stop, deactivates every grain so state is persisted.</summary>
internal sealed class SiloHostedService(Silo silo) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => silo.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => silo.StopAsync();
}
