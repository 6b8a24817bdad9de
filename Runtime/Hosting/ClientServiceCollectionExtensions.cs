using Microsoft.Extensions.DependencyInjection;

namespace OrleansIm.Runtime.Hosting;

/// <summary>
/// Adds a cluster client: the runtime without grains, for gateway-only processes. It needs clustering
/// (<see cref="ClusteringSiloBuilderExtensions.UseClustering"/>) to find the silos.
/// </summary>
public static class ClientServiceCollectionExtensions
{
    public static IServiceCollection AddOrleansImClient(this IServiceCollection services, Action<SiloBuilder> configure)
    {
        return services.AddOrleansImSilo(builder =>
        {
            builder.Configure(options =>
            {
                options.HostsGrains = false;
                if (options.SiloId.StartsWith("silo-", StringComparison.Ordinal)) options.SiloId = "gw-" + options.SiloId[5..];
            });
            configure(builder);
        });
    }
}
