using System.Diagnostics;

namespace OrleansIm.Tests.MultiProcess;

/// <summary>One msg.new push as it arrived on a connection; <paramref name="After"/> is the higher seq of the same conversation already pushed, when there was one (a disorder).</summary>
public sealed record PushArrival(string ConvId, long Seq, TimeSpan At, long? After);

/// <summary>What one time window of pushes looked like over some connections.</summary>
public sealed record PushOrderSummary(int Pushes, int ConnectionConversations, IReadOnlyList<(string UserId, PushArrival Arrival)> Disorders);

/// <summary>
/// The order in which one connection's msg.new pushes arrive, per conversation (issue 7: a member sees each
/// conversation's pushes in seq order). A push whose seq is lower than one already pushed on this connection for the
/// same conversation is a disorder. Only pushes count: acks, msg.sync and history are answers, not pushes, and a
/// new connection (after a reconnect) starts a log of its own. Written by the receive loop, read by the test.
/// </summary>
public sealed class PushOrderLog(Stopwatch clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _highest = new(StringComparer.Ordinal);
    private readonly List<PushArrival> _arrivals = [];

    public void Record(string convId, long seq)
    {
        lock (_gate)
        {
            var highest = _highest.GetValueOrDefault(convId);
            if (seq > highest) _highest[convId] = seq;
            _arrivals.Add(new PushArrival(convId, seq, clock.Elapsed, seq < highest ? highest : null));
        }
    }

    /// <summary>Whether any push of the conversation arrived on this connection.</summary>
    public bool HasPushes(string convId)
    {
        lock (_gate) return _highest.ContainsKey(convId);
    }

    /// <summary>The pushes that arrived in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public List<PushArrival> Between(TimeSpan from, TimeSpan to)
    {
        lock (_gate) return _arrivals.Where(a => a.At >= from && a.At < to).ToList();
    }

    /// <summary>Pushes, (connection, conversation) pairs that got any, and disorders in [<paramref name="from"/>, <paramref name="to"/>) over <paramref name="connections"/>.</summary>
    public static PushOrderSummary Summarize(IEnumerable<ChatClient> connections, TimeSpan from, TimeSpan to)
    {
        var pushes = 0;
        var pairs = 0;
        var disorders = new List<(string, PushArrival)>();
        foreach (var connection in connections)
        {
            var arrivals = connection.PushOrder.Between(from, to);
            pushes += arrivals.Count;
            pairs += arrivals.Select(a => a.ConvId).Distinct().Count();
            disorders.AddRange(arrivals.Where(a => a.After is not null).Select(a => (connection.UserId, a)));
        }
        return new PushOrderSummary(pushes, pairs, disorders);
    }
}
