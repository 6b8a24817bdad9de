using System.Collections.Concurrent;
using System.Reflection;

namespace OrleansIm.Runtime.Invocation;

/// <summary>
/// Interface metadata by type and by name, built once per interface; creates proxies.
/// </summary>
internal sealed class GrainInterfaceRegistry
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceMetadata> _byType = new();
    private readonly ConcurrentDictionary<string, GrainInterfaceMetadata> _byName = new();

    public GrainInterfaceMetadata Get(Type interfaceType) => _byType.GetOrAdd(interfaceType, t =>
    {
        var metadata = new GrainInterfaceMetadata(t);
        _byName[metadata.Name] = metadata;
        return metadata;
    });

    public GrainInterfaceMetadata Get(string interfaceName) =>
        _byName.TryGetValue(interfaceName, out var metadata)
            ? metadata
            : throw new InvalidOperationException($"Interface '{interfaceName}' is not known to this process.");

    public object CreateReference(Type interfaceType, GrainId grainId, IGrainCallInvoker invoker)
    {
        var metadata = Get(interfaceType);
        var proxy = (GrainReference)DispatchProxy.Create(interfaceType, typeof(GrainReference));
        proxy.Initialize(grainId, metadata, invoker);
        return proxy;
    }
}
