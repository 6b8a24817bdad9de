namespace OrleansIm.Runtime.Storage;

/// <summary>
/// A grain-state storage provider. Contract (every provider, checked by one shared test suite):
/// <list type="bullet">
/// <item>Read of a missing record leaves <c>State</c> as a new <typeparamref name="T"/>, ETag null, RecordExists false.</item>
/// <item>Write succeeds only if the stored ETag equals <c>grainState.ETag</c> (null = no record may exist);
/// it then sets a new ETag and RecordExists = true. Otherwise it throws <see cref="InconsistentStateException"/>
/// and changes nothing.</item>
/// <item>Clear deletes under the same ETag check and leaves ETag null, RecordExists false.</item>
/// <item>A completed write is durable (it survives a process restart for persistent providers).</item>
/// </list>
/// </summary>
public interface IGrainStorage
{
    Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);
    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);
    Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);
}
