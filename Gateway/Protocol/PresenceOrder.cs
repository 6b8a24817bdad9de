using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>
/// Drops a presence push that arrives after a newer one for the same user (<see cref="PresenceChange.Version"/>):
/// a user's flips reach a connection as separate calls, which Orleans does not keep in order, and a watcher must not
/// end up showing ONLINE a user who left. One per connection; thread-safe (pushes arrive on any thread).
/// </summary>
public sealed class PresenceOrder(int capacity = PresenceOrder.DefaultCapacity)
{
    /// <summary>Users remembered; past it the memory starts afresh (bounded by the connection's watch limit in practice).</summary>
    public const int DefaultCapacity = 4096;

    // Made at the first versioned change (it is also the lock): most connections watch nobody (issue 12: idle sockets).
    private Dictionary<string, long>? _newest;

    /// <summary>True if the change should be passed on: unversioned, or newer than any passed on for its user.</summary>
    public bool Admit(PresenceChange change)
    {
        if (change.Version == 0) return true;
        var newestByUser = LazyInitializer.EnsureInitialized(ref _newest, () => new Dictionary<string, long>(StringComparer.Ordinal));
        lock (newestByUser)
        {
            if (newestByUser.TryGetValue(change.UserId, out var newest) && newest >= change.Version) return false;
            if (newestByUser.Count >= capacity && !newestByUser.ContainsKey(change.UserId)) newestByUser.Clear();
            newestByUser[change.UserId] = change.Version;
            return true;
        }
    }
}
