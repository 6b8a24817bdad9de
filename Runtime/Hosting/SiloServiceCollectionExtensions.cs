using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansIm.Runtime.Hosting;

/// <summary>Adds a silo (grain runtime) to a host; <see cref="IGrainFactory"/> becomes available to the host's services.</summary>
public static class SiloServiceCollectionExtensions
{
    public static IServiceCollection AddOrleansImSilo(this IServiceCollection services, Action<SiloBuilder> configure)
    {
        var assemblies = services.Select(d => d.ImplementationInstance).OfType<GrainAssemblyList>().FirstOrDefault();
        if (assemblies is null)
        {
            assemblies = new GrainAssemblyList();
            services.AddSingleton(assemblies);
            services.AddOptions<SiloOptions>();
            services.TryAddSingleton<Silo>();
            services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<Silo>().GrainFactory);
            services.TryAddSingleton<Membership.IClusterMembership>(sp => sp.GetRequiredService<Silo>());
            services.AddHostedService<SiloHostedService>();
        }
        configure(new SiloBuilder(services, assemblies));
        return services;
    }
}
