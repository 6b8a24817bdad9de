namespace OrleansIm.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>Not used for longer than the collection age.</summary>
    Idle,
    /// <summary>The grain asked for it with <see cref="Grain.DeactivateOnIdle"/>.</summary>
    ApplicationRequested,
    /// <summary>A turn failed with <see cref="InconsistentStateException"/>; state must be reloaded.</summary>
    InconsistentState,
    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,
    /// <summary>The membership view changed and another silo owns this grain now.</summary>
    OwnershipMoved,
}
