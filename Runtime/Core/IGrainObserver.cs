namespace OrleansIm.Runtime;

/// <summary>
/// Marker for observer interfaces: objects living outside the silo (e.g. in a gateway) that grains
/// call back. Obtain a reference with <see cref="IGrainFactory.CreateObjectReference{T}"/>; observer
/// calls complete once the hosting process ran the method, and fail if the object is gone.
/// </summary>
public interface IGrainObserver : IAddressable
{
}
