using Microsoft.Extensions.Logging;

namespace OrleansIm.Runtime;

/// <summary>
/// Keeps a grain's observers. Subscriptions expire unless refreshed by subscribing again within
/// <see cref="ExpirationDuration"/>; an observer whose notification fails is dropped. Thread-safe.
/// </summary>
public sealed class ObserverManager<TObserver>(TimeSpan expiration, ILogger? logger = null) where TObserver : class, IAddressable
{
    private readonly object _lock = new();
    private readonly Dictionary<GrainId, Subscription> _subscriptions = [];

    public TimeSpan ExpirationDuration { get; set; } = expiration;

    public int Count
    {
        get { lock (_lock) return _subscriptions.Count; }
    }

    /// <summary>The observers whose subscriptions have not expired.</summary>
    public IReadOnlyList<TObserver> Observers
    {
        get
        {
            var cutoff = DateTime.UtcNow - ExpirationDuration;
            lock (_lock) return _subscriptions.Values.Where(s => s.LastSeen >= cutoff).Select(s => s.Observer).ToList();
        }
    }

    /// <summary>Adds the observer, or refreshes its subscription.</summary>
    public void Subscribe(TObserver observer)
    {
        var id = observer.GetGrainId();
        lock (_lock) _subscriptions[id] = new Subscription(observer, DateTime.UtcNow);
    }

    public void Unsubscribe(TObserver observer)
    {
        var id = observer.GetGrainId();
        lock (_lock) _subscriptions.Remove(id);
    }

    public void Clear()
    {
        lock (_lock) _subscriptions.Clear();
    }

    /// <summary>Drops expired subscriptions; returns how many.</summary>
    public int ClearExpired()
    {
        var cutoff = DateTime.UtcNow - ExpirationDuration;
        lock (_lock)
        {
            var expired = _subscriptions.Where(kv => kv.Value.LastSeen < cutoff).Select(kv => kv.Key).ToList();
            foreach (var id in expired) _subscriptions.Remove(id);
            return expired.Count;
        }
    }

    /// <summary>
    /// Calls <paramref name="notification"/> on every live observer without waiting for delivery;
    /// an observer whose call fails (gone, unreachable, timed out) is removed.
    /// </summary>
    public void Notify(Func<TObserver, Task> notification, Func<TObserver, bool>? predicate = null)
    {
        ClearExpired();
        List<KeyValuePair<GrainId, Subscription>> targets;
        lock (_lock) targets = [.. _subscriptions];

        foreach (var (id, subscription) in targets)
        {
            if (predicate is not null && !predicate(subscription.Observer)) continue;
            Task call;
            try
            {
                call = notification(subscription.Observer);
            }
            catch (Exception ex)
            {
                Drop(id, subscription, ex);
                continue;
            }
            if (call.IsCompletedSuccessfully) continue;
            call.ContinueWith(t => { if (t.IsFaulted) Drop(id, subscription, t.Exception!.GetBaseException()); },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void Drop(GrainId id, Subscription subscription, Exception reason)
    {
        lock (_lock)
        {
            // Only if it was not re-subscribed meanwhile.
            if (_subscriptions.TryGetValue(id, out var current) && ReferenceEquals(current, subscription)) _subscriptions.Remove(id);
        }
        logger?.LogDebug(reason, "Dropped observer {Observer} after a failed notification.", id);
    }

    private sealed record Subscription(TObserver Observer, DateTime LastSeen);
}
