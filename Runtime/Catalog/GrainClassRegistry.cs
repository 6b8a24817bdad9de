using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Runtime.Invocation;

namespace OrleansIm.Runtime.Catalog;

/// <summary>Grain type name → grain class and its constructor (compiled once, with DI for constructor arguments).</summary>
internal sealed class GrainClassRegistry
{
    private readonly Dictionary<string, GrainClassInfo> _byType = new(StringComparer.Ordinal);

    public GrainClassRegistry(IEnumerable<Assembly> assemblies, GrainInterfaceRegistry interfaces)
    {
        foreach (var grainClass in assemblies.Distinct().SelectMany(a => a.GetTypes())
                     .Where(t => t.IsClass && !t.IsAbstract && typeof(Grain).IsAssignableFrom(t)))
        {
            var factory = ActivatorUtilities.CreateFactory(grainClass, Type.EmptyTypes);
            foreach (var grainInterface in grainClass.GetInterfaces().Where(IsGrainInterface))
            {
                var grainType = interfaces.Get(grainInterface).GrainType;
                if (_byType.TryGetValue(grainType, out var existing) && existing.GrainClass != grainClass)
                    throw new InvalidOperationException($"Grain type '{grainType}' is implemented by both {existing.GrainClass} and {grainClass}.");
                _byType[grainType] = new GrainClassInfo(grainType, grainClass, factory);
            }
        }
    }

    public IReadOnlyCollection<string> GrainTypes => _byType.Keys;

    public bool TryGet(string grainType, out GrainClassInfo info) => _byType.TryGetValue(grainType, out info!);

    private static bool IsGrainInterface(Type type) =>
        typeof(IGrain).IsAssignableFrom(type) && type != typeof(IGrain) && type != typeof(IGrainWithStringKey);
}
