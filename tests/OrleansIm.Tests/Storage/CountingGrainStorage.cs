using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

/// <summary>
/// Grain storage that records every grain whose state is read, and every state written (as the JSON the SQLite and
/// PostgreSQL providers store), then forwards to the real storage.
/// </summary>
public sealed class CountingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly ConcurrentQueue<GrainId> _reads = new();
    private readonly ConcurrentQueue<(string StateName, GrainId GrainId, byte[] Json)> _writes = new();

    /// <summary>Reads so far of grains of <paramref name="grainType"/> whose key satisfies <paramref name="key"/>.</summary>
    public int Reads(string grainType, Func<string, bool> key) =>
        _reads.Count(id => id.Type.ToString() == grainType && key(id.Key.ToString()!));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _reads.Enqueue(grainId);
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    /// <summary>The JSON of every write of <paramref name="stateName"/> for <paramref name="grainId"/> so far, oldest first.</summary>
    public IReadOnlyList<byte[]> Writes(string stateName, GrainId grainId) =>
        _writes.Where(w => w.StateName == stateName && w.GrainId == grainId).Select(w => w.Json).ToList();

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _writes.Enqueue((stateName, grainId, GrainStateSerializer.Serialize(grainState.State)));
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
