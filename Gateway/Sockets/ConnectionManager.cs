using System.Collections.Concurrent;

namespace OrleansIm.Gateway.Sockets;

/// <summary>Registry of this gateway's live connections (both dialects); closes them all when the node stops.</summary>
public sealed class ConnectionManager
{
    private readonly ConcurrentDictionary<string, IGatewayConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    /// <summary>The live connections at this moment (diagnostics and tests).</summary>
    public IReadOnlyList<IGatewayConnection> Snapshot() => _connections.Values.ToList();

    public void Add(IGatewayConnection connection) => _connections[connection.ConnectionId] = connection;

    public void Remove(IGatewayConnection connection) => _connections.TryRemove(new(connection.ConnectionId, connection));

    public void RequestRefreshAll()
    {
        foreach (var connection in _connections.Values) connection.RequestRefresh();
    }

    public void CloseAll(int code, string reason)
    {
        foreach (var connection in _connections.Values) connection.Close(code, reason);
    }
}
