namespace OrleansIm.Runtime.Storage;

/// <summary>
/// In-process <see cref="IGrainStorage"/> (tests, single-node dev). Records are kept as serialized bytes so
/// every read produces a fresh object: a grain can never mutate what storage holds without writing.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly record struct Key(string StateName, string GrainType, string GrainKey);

    private readonly record struct Record(long ETag, byte[] Data);

    private readonly Dictionary<Key, Record> _records = new();
    private readonly Lock _lock = new();

    // Global, never reused: an ETag seen before a clear can never match a record written after it.
    private long _lastETag;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Record record;
        bool found;
        lock (_lock)
        {
            found = _records.TryGetValue(KeyOf(stateName, grainId), out record);
        }

        if (found)
        {
            grainState.State = GrainStateSerializer.Deserialize<T>(record.Data);
            grainState.ETag = FormatETag(record.ETag);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = GrainStateSerializer.CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = GrainStateSerializer.Serialize(grainState.State);
        var key = KeyOf(stateName, grainId);
        long newETag;
        lock (_lock)
        {
            CheckETag(key, grainState.ETag, "Write", grainId);
            newETag = ++_lastETag;
            _records[key] = new Record(newETag, data);
        }
        grainState.ETag = FormatETag(newETag);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(stateName, grainId);
        lock (_lock)
        {
            CheckETag(key, grainState.ETag, "Clear", grainId);
            _records.Remove(key);
        }
        grainState.State = GrainStateSerializer.CreateDefault<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private void CheckETag(Key key, string? expected, string operation, GrainId grainId)
    {
        string? stored = _records.TryGetValue(key, out var record) ? FormatETag(record.ETag) : null;
        if (stored != expected)
        {
            throw new InconsistentStateException(
                $"{operation} of state '{key.StateName}' for grain {grainId} failed: ETag mismatch", stored, expected);
        }
    }

    private static Key KeyOf(string stateName, GrainId grainId) => new(stateName, grainId.Type, grainId.Key);

    private static string FormatETag(long etag) => etag.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
