using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>What frame handlers know about the connection they serve: the authenticated user, its device and its observer.</summary>
/// <param name="tokenGeneration">The static token's generation (authType 0); null for other logins.</param>
/// <param name="gateway">The name of the gateway holding the connection (admins see it); null in unit tests.</param>
public sealed class ClientSession(string userId, string deviceType, string connectionId, IClientObserver observer, long? tokenGeneration = null, string? gateway = null)
{
    // Made at the first presence.subscribe (it is also the lock): most connections watch nobody.
    private HashSet<string>? _watched;
    private OrderedSends? _sends;

    /// <summary>From the token; the only identity a frame can act as.</summary>
    public string UserId { get; } = userId;

    public string DeviceType { get; } = deviceType;

    public string ConnectionId { get; } = connectionId;

    /// <summary>The grain-callable reference to this connection.</summary>
    public IClientObserver Observer { get; } = observer;

    /// <summary>The static token's generation (authType 0), checked by the user grain when it registers the connection; else null.</summary>
    public long? TokenGeneration { get; } = tokenGeneration;

    public DeviceSession DeviceSession => new(DeviceType, ConnectionId, Observer, TokenGeneration, gateway);

    /// <summary>This connection's msg.send frames, kept in frame order per conversation (made at the first send).</summary>
    public OrderedSends Sends => LazyInitializer.EnsureInitialized(ref _sends, () => new OrderedSends());

    /// <summary>Users whose presence this connection watches (refreshed periodically, unwatched on close).</summary>
    public IReadOnlyList<string> WatchedUsers
    {
        get
        {
            var watched = Volatile.Read(ref _watched);
            if (watched is null) return [];
            lock (watched) return watched.ToList();
        }
    }

    /// <summary>Adds ids; false (and no change) if the total would exceed <paramref name="max"/>.</summary>
    public bool TryWatch(IReadOnlyList<string> userIds, int max)
    {
        var watched = LazyInitializer.EnsureInitialized(ref _watched, () => new HashSet<string>(StringComparer.Ordinal));
        lock (watched)
        {
            if (watched.Count + userIds.Count(id => !watched.Contains(id)) > max) return false;
            watched.UnionWith(userIds);
            return true;
        }
    }

    public void Unwatch(IReadOnlyList<string> userIds)
    {
        if (Volatile.Read(ref _watched) is not { } watched) return;
        lock (watched) watched.ExceptWith(userIds);
    }
}
