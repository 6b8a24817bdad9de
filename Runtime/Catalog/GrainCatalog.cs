using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrleansIm.Runtime.Hosting;
using OrleansIm.Runtime.Invocation;
using OrleansIm.Runtime.Messaging;
using OrleansIm.Runtime.Serialization;

namespace OrleansIm.Runtime.Catalog;

/// <summary>
/// The silo's activations: at most one per grain id, created on the first message, removed when
/// deactivated. Also runs idle collection and the shutdown deactivation of everything.
/// </summary>
internal sealed class GrainCatalog(
    SiloOptions options,
    IServiceProvider services,
    GrainClassRegistry classes,
    GrainInterfaceRegistry interfaces,
    MessageSerializer serializer,
    MessageCenter messageCenter,
    IGrainFactory grainFactory,
    ILogger logger)
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private volatile bool _shuttingDown;

    public SiloOptions Options { get; } = options;
    public IServiceProvider Services { get; } = services;
    public GrainInterfaceRegistry Interfaces { get; } = interfaces;
    public MessageSerializer Serializer { get; } = serializer;
    public MessageCenter MessageCenter { get; } = messageCenter;
    public IGrainFactory GrainFactory { get; } = grainFactory;
    public ILogger Logger { get; } = logger;

    public int ActivationCount => _activations.Count;

    public void Dispatch(Message message)
    {
        if (!classes.TryGet(message.Target.Type, out var grainClass))
            throw new InvalidOperationException($"No grain class is registered for grain type '{message.Target.Type}'.");

        while (true)
        {
            if (!_activations.TryGetValue(message.Target, out var activation))
            {
                if (_shuttingDown) throw new InvalidOperationException($"Silo '{MessageCenter.LocalId}' is shutting down; {message.Target} cannot be activated.");
                activation = _activations.GetOrAdd(message.Target, static (id, state) => new ActivationData(id, state.grainClass, state.catalog), (grainClass, catalog: this));
            }
            if (activation.TryEnqueue(message)) return;
            // It just became invalid; it has already left the dictionary (or is about to), so look again.
            _activations.TryRemove(KeyValuePair.Create(message.Target, activation));
        }
    }

    public void Remove(ActivationData activation) => _activations.TryRemove(KeyValuePair.Create(activation.GrainId, activation));

    public bool TryGetActivation(GrainId grainId, out ActivationData activation) => _activations.TryGetValue(grainId, out activation!);

    /// <summary>Asks every activation idle for longer than the collection age to deactivate.</summary>
    public int CollectIdle()
    {
        var now = DateTime.UtcNow.Ticks;
        var collected = 0;
        foreach (var activation in _activations.Values)
        {
            if (!activation.IsIdle(now, Options.CollectionAge)) continue;
            activation.RequestDeactivation(DeactivationReason.Idle);
            collected++;
        }
        return collected;
    }

    /// <summary>
    /// After a membership change: activations this silo no longer owns are deactivated (persisting as usual),
    /// so the next call activates them at their new owner.
    /// </summary>
    public int OnOwnershipChanged(Func<GrainId, bool> ownsGrain)
    {
        var moved = 0;
        foreach (var activation in _activations.Values)
        {
            if (ownsGrain(activation.GrainId)) continue;
            activation.RequestDeactivation(DeactivationReason.OwnershipMoved);
            moved++;
        }
        if (moved > 0) Logger.LogInformation("{Count} activations moved to other silos after a membership change.", moved);
        return moved;
    }

    /// <summary>Deactivates everything (persisting what grains persist in OnDeactivateAsync) and refuses new activations.</summary>
    public async Task DeactivateAllAsync(TimeSpan timeout)
    {
        _shuttingDown = true;
        var activations = _activations.Values.ToArray();
        foreach (var activation in activations) activation.RequestDeactivation(DeactivationReason.ShuttingDown);
        try
        {
            await Task.WhenAll(activations.Select(a => a.Completion)).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Logger.LogWarning("{Count} activations did not deactivate within {Timeout}.", _activations.Count, timeout);
        }
    }
}
