namespace OrleansIm.Runtime.Storage;

/// <summary>A grain's state as storage sees it: the value, its ETag and whether a record exists.</summary>
public interface IGrainState<T>
{
    T State { get; set; }
    string? ETag { get; set; }
    bool RecordExists { get; set; }
}
