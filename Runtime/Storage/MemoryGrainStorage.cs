using System.Collections.Concurrent;
using System.Text.Json;

namespace OrleansIm.Runtime.Storage;

/// <summary>In-process grain storage (tests): serialized copies with integer ETags.</summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string, GrainId), (long Etag, byte[] Data)> _records = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var record))
        {
            grainState.State = JsonSerializer.Deserialize<T>(record.Data)!;
            grainState.ETag = record.Etag.ToString();
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var data = JsonSerializer.SerializeToUtf8Bytes(grainState.State);
        lock (_records)
        {
            var stored = _records.TryGetValue(key, out var record) ? record.Etag.ToString() : null;
            if (stored != grainState.ETag) throw new InconsistentStateException($"ETag mismatch writing {grainId}", stored, grainState.ETag);
            var next = (record.Etag + 1, data);
            _records[key] = next;
            grainState.ETag = next.Item1.ToString();
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        lock (_records)
        {
            var stored = _records.TryGetValue(key, out var record) ? record.Etag.ToString() : null;
            if (stored != grainState.ETag) throw new InconsistentStateException($"ETag mismatch clearing {grainId}", stored, grainState.ETag);
            _records.TryRemove(key, out _);
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }
}
