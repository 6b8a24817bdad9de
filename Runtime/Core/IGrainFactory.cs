namespace OrleansIm.Runtime;

/// <summary>Creates grain references and observer references. Usable from grains, silo hosts and gateways.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of interface <typeparamref name="TGrainInterface"/> with this key. Cheap; no call is made.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;

    /// <summary>Registers a local object so grains can call it; the returned reference can be passed as a grain call argument.</summary>
    TObserver CreateObjectReference<TObserver>(IGrainObserver obj) where TObserver : IGrainObserver;

    /// <summary>Unregisters an object created with <see cref="CreateObjectReference{TObserver}"/>; later calls to it fail.</summary>
    void DeleteObjectReference<TObserver>(IGrainObserver obj) where TObserver : IGrainObserver;
}
