using Orleans.Storage;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// Wraps Orleans' ADO.NET grain storage so every grain's row is keyed by its exact grain type and key. The provider
/// turns a string key that merely looks like a number or a GUID into N0/N1 integers (so user ids "abc", "ABC" and
/// "0abc" would share one row) and keys rows by state name rather than grain type. Handing it the key
/// <c>type/key</c> instead — never a valid hex number or GUID, because of the slash — keeps every grain apart.
/// </summary>
public sealed class UnambiguousKeyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, StorageKey(grainId), grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, StorageKey(grainId), grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, StorageKey(grainId), grainState);

    /// <summary>The id the provider sees: same type, key "type/key".</summary>
    public static GrainId StorageKey(GrainId grainId) => GrainId.Create(grainId.Type, $"{grainId.Type}/{grainId.Key}");
}
