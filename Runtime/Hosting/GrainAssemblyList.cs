using System.Reflection;

namespace OrleansIm.Runtime.Hosting;

/// <summary>The assemblies whose grain classes a silo hosts (filled by <see cref="SiloBuilder.AddGrains"/>).</summary>
internal sealed class GrainAssemblyList
{
    public List<Assembly> Assemblies { get; } = [];
}
