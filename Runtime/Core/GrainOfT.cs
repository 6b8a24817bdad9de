using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Runtime.Storage;

namespace OrleansIm.Runtime;

/// <summary>
/// A grain with persistent state. State is read before <see cref="Grain.OnActivateAsync"/>;
/// <see cref="WriteStateAsync"/> writes it with ETag checking: a write that finds someone else's
/// newer version throws <see cref="InconsistentStateException"/> and the activation is dropped.
/// </summary>
public abstract class Grain<TState> : Grain where TState : new()
{
    private IGrainStorage? _storage;
    private readonly GrainState<TState> _grainState = new();

    protected TState State
    {
        get => _grainState.State;
        set => _grainState.State = value;
    }

    /// <summary>True once the state has been written at least once (or was found in storage).</summary>
    protected bool StateExists => _grainState.RecordExists;

    /// <summary>The ETag of the version this activation last read or wrote.</summary>
    protected string? StateEtag => _grainState.ETag;

    private IGrainStorage Storage => _storage ?? throw new InvalidOperationException("Grain state is not available before activation.");

    protected Task ReadStateAsync() => Storage.ReadStateAsync(GrainId.Type, GrainId, _grainState);

    /// <summary>
    /// Writes the state. If the write fails for any reason, memory is now ahead of storage, so the activation
    /// is dropped after this turn and the next call starts again from what is really stored.
    /// </summary>
    protected Task WriteStateAsync() => DropActivationOnFailure(Storage.WriteStateAsync(GrainId.Type, GrainId, _grainState));

    /// <inheritdoc cref="WriteStateAsync"/>
    protected Task ClearStateAsync() => DropActivationOnFailure(Storage.ClearStateAsync(GrainId.Type, GrainId, _grainState));

    private async Task DropActivationOnFailure(Task write)
    {
        try
        {
            await write;
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    internal override Task ActivateStateAsync(IServiceProvider services)
    {
        _storage = services.GetRequiredService<IGrainStorage>();
        return ReadStateAsync();
    }
}
