namespace OrleansIm.Runtime.Catalog;

internal enum ActivationState
{
    /// <summary>In the catalog, no message yet, nothing running.</summary>
    Created,
    /// <summary>Reading state and running OnActivateAsync; messages queue up behind it.</summary>
    Activating,
    Valid,
    /// <summary>Running OnDeactivateAsync; new messages are held and re-dispatched to the next activation.</summary>
    Deactivating,
    /// <summary>Out of the catalog; nothing may be enqueued.</summary>
    Invalid,
}
