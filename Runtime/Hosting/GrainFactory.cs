using OrleansIm.Runtime.Invocation;
using OrleansIm.Runtime.Messaging;
using OrleansIm.Runtime.Observers;

namespace OrleansIm.Runtime.Hosting;

/// <summary>Creates grain and observer references bound to this process's runtime client.</summary>
internal sealed class GrainFactory(GrainInterfaceRegistry interfaces, RuntimeClient client, LocalObjectRegistry objects) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        var metadata = interfaces.Get(typeof(TGrainInterface));
        return (TGrainInterface)interfaces.CreateReference(typeof(TGrainInterface), new GrainId(metadata.GrainType, key), client);
    }

    public TObserver CreateObjectReference<TObserver>(IGrainObserver obj) where TObserver : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj is not TObserver) throw new ArgumentException($"The object does not implement {typeof(TObserver).Name}.", nameof(obj));
        interfaces.Get(typeof(TObserver));
        return (TObserver)interfaces.CreateReference(typeof(TObserver), objects.Register(obj), client);
    }

    public void DeleteObjectReference<TObserver>(IGrainObserver obj) where TObserver : IGrainObserver => objects.Unregister(obj);

    /// <summary>Used by the serializer to turn an id read off the wire back into a reference.</summary>
    public object CreateReference(Type interfaceType, GrainId grainId) => interfaces.CreateReference(interfaceType, grainId, client);
}
