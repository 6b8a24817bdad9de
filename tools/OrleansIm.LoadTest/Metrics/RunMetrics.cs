using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansIm.LoadTest.Metrics;

/// <summary>
/// Everything one run counts, written by many client tasks at once: counters, a latency histogram per
/// <see cref="LatencyKind"/> for the whole run, and the same per second since <see cref="Start"/> for the timeline.
/// With a warm-up, the counters count everything (the drain and the delivery checker need all of it) while the
/// histograms and the Measured counters take only what happens after it; the timeline numbers its seconds from the
/// warm-up's end, so warm-up seconds are negative.
/// </summary>
public sealed class RunMetrics
{
    private readonly LatencyHistogram[] _overall = Enum.GetValues<LatencyKind>().Select(_ => new LatencyHistogram()).ToArray();
    private readonly ConcurrentDictionary<int, TimelineSlot> _timeline = new();
    private long _startTimestamp = Stopwatch.GetTimestamp();
    private double _warmUpSeconds;

    public long Sent;
    public long Acked;
    public long Delivered;
    public long ExpectedDeliveries;
    public long Errors;
    public long RateLimited;
    public long Connects;
    public long ConnectFailures;
    public long Events;

    /// <summary>Acks, deliveries and events after the warm-up: the rates' numerators.</summary>
    public long MeasuredAcked;
    public long MeasuredDelivered;
    public long MeasuredEvents;

    /// <summary>Seconds since <see cref="Start"/> (or since this object was made).</summary>
    public double ElapsedSeconds => Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;

    /// <summary>Starts the clock (after setup, when the load begins); samples count once <paramref name="warmUp"/> has passed.</summary>
    public void Start(TimeSpan warmUp = default)
    {
        _warmUpSeconds = warmUp.TotalSeconds;
        _startTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Whether the warm-up is over.</summary>
    public bool Measuring => ElapsedSeconds >= _warmUpSeconds;

    public LatencyHistogram Latency(LatencyKind kind) => _overall[(int)kind];

    public IReadOnlyList<(int Second, TimelineSlot Slot)> Timeline() =>
        _timeline.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).ToList();

    public void Record(LatencyKind kind, double ms)
    {
        if (Measuring) _overall[(int)kind].Record(ms);
        CurrentSlot().Latency[(int)kind].Record(ms);
    }

    public void CountAck(double ms)
    {
        Interlocked.Increment(ref Acked);
        if (Measuring) Interlocked.Increment(ref MeasuredAcked);
        Interlocked.Increment(ref CurrentSlot().Acked);
        Record(LatencyKind.Ack, ms);
    }

    public void CountDelivery(double ms)
    {
        Interlocked.Increment(ref Delivered);
        if (Measuring) Interlocked.Increment(ref MeasuredDelivered);
        Interlocked.Increment(ref CurrentSlot().Delivered);
        Record(LatencyKind.Delivery, ms);
    }

    public void CountError()
    {
        Interlocked.Increment(ref Errors);
        Interlocked.Increment(ref CurrentSlot().Errors);
    }

    public void CountConnect(double ms)
    {
        Interlocked.Increment(ref Connects);
        Interlocked.Increment(ref CurrentSlot().Connects);
        Record(LatencyKind.Connect, ms);
    }

    public void CountConnectFailure()
    {
        Interlocked.Increment(ref ConnectFailures);
        CountError();
    }

    public void CountEvent(double ms)
    {
        Interlocked.Increment(ref Events);
        if (Measuring) Interlocked.Increment(ref MeasuredEvents);
        Interlocked.Increment(ref CurrentSlot().Events);
        Record(LatencyKind.Signal, ms);
    }

    private TimelineSlot CurrentSlot() =>
        _timeline.GetOrAdd(Math.Max(-(int)Math.Ceiling(_warmUpSeconds), (int)Math.Floor(ElapsedSeconds - _warmUpSeconds)), _ => new TimelineSlot());

    /// <summary>One second of the run.</summary>
    public sealed class TimelineSlot
    {
        public readonly LatencyHistogram[] Latency = Enum.GetValues<LatencyKind>().Select(_ => new LatencyHistogram()).ToArray();
        public long Acked;
        public long Delivered;
        public long Errors;
        public long Connects;
        public long Events;
    }
}
