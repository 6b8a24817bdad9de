using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Storage;

namespace OrleansIm.Tests.Storage;

/// <summary>Grain storage that records every grain whose state is read, then forwards to the real storage.</summary>
public sealed class CountingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly ConcurrentQueue<GrainId> _reads = new();

    /// <summary>Reads so far of grains of <paramref name="grainType"/> whose key satisfies <paramref name="key"/>.</summary>
    public int Reads(string grainType, Func<string, bool> key) =>
        _reads.Count(id => id.Type.ToString() == grainType && key(id.Key.ToString()!));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _reads.Enqueue(grainId);
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
