using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// Registry of this gateway's live connections (both dialects), and the one place the graceful drain happens:
/// when the node stops, every connection is told to reconnect elsewhere (close <see cref="WebSocketCloseCodes.Draining"/>),
/// the closes spread over up to the first half of the drain time so the clients do not all reconnect at once, each after
/// the frames it is handling have been answered.
/// </summary>
public sealed class ConnectionManager(ILogger<ConnectionManager>? logger = null)
{
    /// <summary>Upper bound of the random delay a drained client is asked to wait before reconnecting (<c>reconnect_after_ms</c>).</summary>
    public const int MaxReconnectAfterMs = 1000;

    /// <summary>
    /// The drain closes at least this many connections a second: spreading a handful of connections over ten seconds
    /// protects nothing, while thousands are spread over the whole first half of the drain.
    /// </summary>
    public const int MinDrainClosesPerSecond = 100;

    /// <summary>Closes due closer together than this are started together (one timer wait per batch, not per connection).</summary>
    private static readonly TimeSpan ScheduleResolution = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentDictionary<string, IGatewayConnection> _connections = new(StringComparer.Ordinal);
    private readonly ILogger _logger = logger ?? NullLogger<ConnectionManager>.Instance;
    private readonly TaskCompletionSource _empty = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;
    // Set once the drain has started closing: a connection registered after that is drained at once. Never
    // disposed: a late connection may still read its token (one per process).
    private CancellationTokenSource? _drainDeadline;

    public int Count => _connections.Count;

    /// <summary>True from the moment the node starts stopping: readiness fails and new client requests get 503.</summary>
    public bool IsDraining => _draining;

    /// <summary>True once a drain ended with every connection closed before its deadline (diagnostics and tests).</summary>
    public bool DrainedBeforeDeadline { get; private set; }

    /// <summary>The live connections at this moment (diagnostics and tests).</summary>
    public IReadOnlyList<IGatewayConnection> Snapshot() => _connections.Values.ToList();

    public void Add(IGatewayConnection connection)
    {
        _connections[connection.ConnectionId] = connection;
        // An upgrade that passed the drain gate just before it closed: drain it too.
        if (Volatile.Read(ref _drainDeadline) is { } deadline) _ = connection.DrainAsync(ReconnectAfterMs(), deadline.Token);
    }

    public void Remove(IGatewayConnection connection)
    {
        _connections.TryRemove(new(connection.ConnectionId, connection));
        if (_draining && _connections.IsEmpty) _empty.TrySetResult();
    }

    /// <summary>The live connection with this id, or null once it closed.</summary>
    public IGatewayConnection? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    /// <summary>Raised by <see cref="RequestRefreshAll"/>, for registrations kept per gateway rather than per connection (chatroom seats).</summary>
    public event Action? RefreshAllRequested;

    public void RequestRefreshAll()
    {
        foreach (var connection in _connections.Values) connection.RequestRefresh();
        RefreshAllRequested?.Invoke();
    }

    /// <summary>Marks the gateway as draining (readiness fails, new requests are refused) without closing anything yet. Idempotent.</summary>
    public void BeginDrain() => _draining = true;

    /// <summary>
    /// Drains every connection within <paramref name="drainTimeout"/>: connection i of n is told to go at i/n of
    /// the spread — half the drain time, or less for few connections (<see cref="MinDrainClosesPerSecond"/>); it
    /// answers the frames it is handling (no new ones), sends the dialect's drain notice and closes with <see cref="WebSocketCloseCodes.Draining"/>. At the deadline whatever is still being
    /// handled is abandoned and the rest are closed at once. Returns when every connection is gone or at the deadline.
    /// </summary>
    public async Task DrainAsync(TimeSpan drainTimeout, CancellationToken cancellationToken)
    {
        BeginDrain();
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(drainTimeout);
        if (Interlocked.CompareExchange(ref _drainDeadline, deadline, null) is not null)
        {
            deadline.Dispose();
            return; // Already drained (or draining).
        }

        var connections = Snapshot();
        var spread = TimeSpan.FromTicks(Math.Min(drainTimeout.Ticks / 2, TimeSpan.TicksPerSecond * connections.Count / MinDrainClosesPerSecond));
        _logger.LogInformation("Draining {Count} connections: closes spread over {Spread}, done within {DrainTimeout}", connections.Count, spread, drainTimeout);
        var clock = Stopwatch.StartNew();
        var drains = new List<Task>(connections.Count);
        for (var i = 0; i < connections.Count; i++)
        {
            var wait = spread * i / connections.Count - clock.Elapsed;
            if (wait > ScheduleResolution && !deadline.IsCancellationRequested)
            {
                try { await Task.Delay(wait, deadline.Token); }
                catch (OperationCanceledException) { }
            }
            drains.Add(connections[i].DrainAsync(ReconnectAfterMs(), deadline.Token));
        }

        if (_connections.IsEmpty) _empty.TrySetResult();
        try
        {
            await Task.WhenAll(drains).WaitAsync(deadline.Token);
            // Every close is queued; wait for the sockets to finish their close handshakes and leave.
            await _empty.Task.WaitAsync(deadline.Token);
            DrainedBeforeDeadline = true;
            _logger.LogInformation("Drain finished in {Elapsed}: every connection closed", clock.Elapsed);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("Drain deadline reached after {Elapsed}: {Count} connections still open are closed now", clock.Elapsed, _connections.Count);
            foreach (var connection in _connections.Values) connection.Close(WebSocketCloseCodes.Draining, DrainReason);
        }
    }

    /// <summary>The close reason sent with <see cref="WebSocketCloseCodes.Draining"/>.</summary>
    public const string DrainReason = "server draining, reconnect elsewhere";

    private static int ReconnectAfterMs() => Random.Shared.Next(MaxReconnectAfterMs);
}
