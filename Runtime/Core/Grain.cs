namespace OrleansIm.Runtime;

/// <summary>
/// Base class of grain implementations. The runtime creates one activation per grain id, runs its calls
/// one at a time in arrival order (await continuations stay inside the turn), and collects it when idle.
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    internal IGrainContext Context
    {
        get => _context ?? throw new InvalidOperationException("This grain is not attached to an activation; grains must be created by the runtime.");
        set => _context = value;
    }

    public GrainId GrainId => Context.GrainId;

    protected IGrainFactory GrainFactory => Context.GrainFactory;

    protected IServiceProvider ServiceProvider => Context.ServiceProvider;

    /// <summary>The grain's string key.</summary>
    public string GetPrimaryKeyString() => Context.GrainId.Key;

    /// <summary>Runs before the first call is delivered (after persistent state was read).</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs before the activation is dropped; the last chance to persist.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivate this activation once the current turn completes.</summary>
    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();

    /// <summary>Keep this activation from idle collection for at least <paramref name="timeSpan"/>.</summary>
    protected void DelayDeactivation(TimeSpan timeSpan) => Context.DelayDeactivation(timeSpan);

    /// <summary>
    /// Registers a timer whose callback runs as a turn of this activation (never concurrently with a call).
    /// A tick that comes due while the previous one is still queued or running is skipped.
    /// Ticks do not count as activity for idle collection. Timers die with the activation.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
        => Context.RegisterTimer(callback, dueTime, period);

    /// <inheritdoc cref="RegisterGrainTimer(Func{CancellationToken, Task}, TimeSpan, TimeSpan)"/>
    protected IGrainTimer RegisterGrainTimer(Func<Task> callback, TimeSpan dueTime, TimeSpan period)
        => Context.RegisterTimer(_ => callback(), dueTime, period);

    /// <summary>Hook for <see cref="Grain{TState}"/>: attaches storage and reads state before activation.</summary>
    internal virtual Task ActivateStateAsync(IServiceProvider services) => Task.CompletedTask;
}
