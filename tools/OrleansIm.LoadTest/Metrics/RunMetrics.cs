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

    public LatencyHistogram Latency(LatencyKind kind) => _overall[(int)kind];

    public IReadOnlyList<(int Second, TimelineSlot Slot)> Timeline() =>
        _timeline.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).ToList();

    public void Record(LatencyKind kind, double ms) => Record(Now(), kind, ms);

    public void CountAck(double ms)
    {
        var now = Now();
        Interlocked.Increment(ref Acked);
        if (now.Measuring) Interlocked.Increment(ref MeasuredAcked);
        Interlocked.Increment(ref now.Slot.Acked);
        Record(now, LatencyKind.Ack, ms);
    }

    public void CountDelivery(double ms)
    {
        var now = Now();
        Interlocked.Increment(ref Delivered);
        if (now.Measuring) Interlocked.Increment(ref MeasuredDelivered);
        Interlocked.Increment(ref now.Slot.Delivered);
        Record(now, LatencyKind.Delivery, ms);
    }

    public void CountError()
    {
        Interlocked.Increment(ref Errors);
        Interlocked.Increment(ref Now().Slot.Errors);
    }

    public void CountConnect(double ms)
    {
        var now = Now();
        Interlocked.Increment(ref Connects);
        Interlocked.Increment(ref now.Slot.Connects);
        Record(now, LatencyKind.Connect, ms);
    }

    public void CountConnectFailure()
    {
        Interlocked.Increment(ref ConnectFailures);
        CountError();
    }

    public void CountEvent(double ms)
    {
        var now = Now();
        Interlocked.Increment(ref Events);
        if (now.Measuring) Interlocked.Increment(ref MeasuredEvents);
        Interlocked.Increment(ref now.Slot.Events);
        Record(now, LatencyKind.Signal, ms);
    }

    private void Record((TimelineSlot Slot, bool Measuring) now, LatencyKind kind, double ms)
    {
        if (now.Measuring) _overall[(int)kind].Record(ms);
        now.Slot.Latency[(int)kind].Record(ms);
    }

    /// <summary>
    /// The current second's slot and whether the warm-up is over, from one reading of the clock, so a sample's count,
    /// histogram and second always agree (seconds are numbered from the warm-up's end; warm-up seconds are negative).
    /// </summary>
    private (TimelineSlot Slot, bool Measuring) Now()
    {
        var second = (int)Math.Floor(ElapsedSeconds - _warmUpSeconds);
        var slot = _timeline.GetOrAdd(Math.Max(-(int)Math.Ceiling(_warmUpSeconds), second), _ => new TimelineSlot());
        return (slot, second >= 0);
    }

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
