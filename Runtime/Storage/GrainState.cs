namespace OrleansIm.Runtime.Storage;

/// <summary>Default <see cref="IGrainState{T}"/> holder.</summary>
public sealed class GrainState<T> : IGrainState<T> where T : new()
{
    public T State { get; set; } = new();
    public string? ETag { get; set; }
    public bool RecordExists { get; set; }
}
