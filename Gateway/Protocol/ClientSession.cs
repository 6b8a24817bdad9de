using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>What frame handlers know about the connection they serve: the authenticated user, its device and its observer.</summary>
/// <param name="tokenGeneration">The static token's generation (authType 0); null for other logins.</param>
/// <param name="gateway">The name of the gateway holding the connection (admins see it); null in unit tests.</param>
public sealed class ClientSession(string userId, string deviceType, string connectionId, IClientObserver observer, long? tokenGeneration = null, string? gateway = null)
{
    private readonly HashSet<string> _watched = new(StringComparer.Ordinal);

    /// <summary>From the token; the only identity a frame can act as.</summary>
    public string UserId { get; } = userId;

    public string DeviceType { get; } = deviceType;

    public string ConnectionId { get; } = connectionId;

    /// <summary>The grain-callable reference to this connection.</summary>
    public IClientObserver Observer { get; } = observer;

    /// <summary>The static token's generation (authType 0), checked by the user grain when it registers the connection; else null.</summary>
    public long? TokenGeneration { get; } = tokenGeneration;

    public DeviceSession DeviceSession => new(DeviceType, ConnectionId, Observer, TokenGeneration, gateway);

    /// <summary>This connection's msg.send frames, kept in frame order per conversation.</summary>
    public OrderedSends Sends { get; } = new();

    /// <summary>Users whose presence this connection watches (refreshed periodically, unwatched on close).</summary>
    public IReadOnlyList<string> WatchedUsers
    {
        get { lock (_watched) return _watched.ToList(); }
    }

    /// <summary>Adds ids; false (and no change) if the total would exceed <paramref name="max"/>.</summary>
    public bool TryWatch(IReadOnlyList<string> userIds, int max)
    {
        lock (_watched)
        {
            if (_watched.Count + userIds.Count(id => !_watched.Contains(id)) > max) return false;
            _watched.UnionWith(userIds);
            return true;
        }
    }

    public void Unwatch(IReadOnlyList<string> userIds)
    {
        lock (_watched) _watched.ExceptWith(userIds);
    }
}
