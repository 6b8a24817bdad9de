namespace OrleansIm.LoadTest.Output;

/// <summary>One second of a run: counts in that second and its latency percentiles (ms; null without samples).</summary>
public sealed record TimelinePoint(int Second, long Acked, long Delivered, long Errors, long Connects, long Events,
    double? AckP50Ms, double? AckP99Ms, double? DeliveryP50Ms, double? DeliveryP99Ms, double? SignalP50Ms, double? SignalP99Ms);
