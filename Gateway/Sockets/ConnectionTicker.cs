using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// One timer for every open socket of the gateway, both dialects: each tick calls <see cref="ITickedConnection.Tick"/>
/// on each. A timer, an awaiting loop and a cancellation source per connection cost ~0.7 KB of every idle socket
/// (issue 12); walking 15,000 connections costs well under a millisecond a tick. The period is a quarter of the
/// shortest duty (idle timeout, refresh interval, STOMP heart-beat and CONNECT timeout, send timeout), between 50 ms
/// and 1 s, so each duty fires at most a quarter late.
/// </summary>
public sealed class ConnectionTicker : IDisposable
{
    private readonly ConcurrentDictionary<ITickedConnection, byte> _connections = new(ReferenceEqualityComparer.Instance);
    private readonly ILogger<ConnectionTicker> _logger;
    private readonly ITimer _timer;
    private int _ticking;

    public ConnectionTicker(IOptions<GatewayOptions> options, TimeProvider time, ILogger<ConnectionTicker> logger)
    {
        _logger = logger;
        Period = PeriodFor(options.Value);
        _timer = time.CreateTimer(_ => TickAll(), null, Period, Period);
    }

    public TimeSpan Period { get; }

    public int Count => _connections.Count;

    public static TimeSpan PeriodFor(GatewayOptions options)
    {
        var shortest = new[] { options.IdleTimeout, options.ObserverRefreshInterval, options.SendTimeout, options.StompConnectTimeout }
            .Append(options.StompHeartBeat > TimeSpan.Zero ? options.StompHeartBeat : TimeSpan.MaxValue)
            .Where(t => t > TimeSpan.Zero)
            .DefaultIfEmpty(TimeSpan.FromSeconds(4))
            .Min();
        return TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.TicksPerSecond));
    }

    public void Add(ITickedConnection connection) => _connections.TryAdd(connection, 0);

    public void Remove(ITickedConnection connection) => _connections.TryRemove(connection, out _);

    private void TickAll()
    {
        // A tick still running (a very busy machine) is not overlapped: the next one picks up.
        if (Interlocked.Exchange(ref _ticking, 1) == 1) return;
        try
        {
            var now = Environment.TickCount64;
            // Enumerating the dictionary itself takes no snapshot (no allocation per tick).
            foreach (var (connection, _) in _connections)
            {
                try
                {
                    connection.Tick(now);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "A connection's tick failed");
                }
            }
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
