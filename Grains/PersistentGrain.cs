namespace OrleansIm.Grains;

/// <summary>
/// A grain whose state is an Orleans <see cref="IPersistentState{TState}"/>, read before activation and written
/// with ETag checks by the configured grain storage. A failed write or clear — of any kind, not only an ETag
/// conflict — leaves memory ahead of storage, so the activation is dropped after the turn and the next call
/// starts again from what is really stored.
/// </summary>
public abstract class PersistentGrain<TState>(IPersistentState<TState> state) : Grain
{
    protected TState State
    {
        get => state.State;
        set => state.State = value;
    }

    protected Task WriteStateAsync() => DropActivationOnFailure(state.WriteStateAsync());

    protected Task ClearStateAsync() => DropActivationOnFailure(state.ClearStateAsync());

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
}
