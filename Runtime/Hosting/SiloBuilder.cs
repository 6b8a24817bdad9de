using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansIm.Runtime.Storage;

namespace OrleansIm.Runtime.Hosting;

/// <summary>Configures a silo: which grains it hosts, its options and its storage.</summary>
public sealed class SiloBuilder
{
    private readonly GrainAssemblyList _assemblies;

    internal SiloBuilder(IServiceCollection services, GrainAssemblyList assemblies)
    {
        Services = services;
        _assemblies = assemblies;
    }

    public IServiceCollection Services { get; }

    /// <summary>Hosts every non-abstract <see cref="Grain"/> class of the assembly.</summary>
    public SiloBuilder AddGrains(Assembly assembly)
    {
        if (!_assemblies.Assemblies.Contains(assembly)) _assemblies.Assemblies.Add(assembly);
        return this;
    }

    public SiloBuilder Configure(Action<SiloOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Grain state in process memory: lost on restart; for tests.</summary>
    public SiloBuilder UseMemoryGrainStorage()
    {
        Services.RemoveAll<IGrainStorage>();
        Services.AddSingleton<IGrainStorage, MemoryGrainStorage>();
        return this;
    }
}
