using OrleansIm.LoadTest.Metrics;

namespace OrleansIm.LoadTest.Output;

/// <summary>Percentiles of one latency kind in milliseconds (null without samples).</summary>
public sealed record LatencySummary(long Count, double? P50Ms, double? P90Ms, double? P99Ms, double? MaxMs)
{
    public static LatencySummary Of(LatencyHistogram histogram) => histogram.Count == 0
        ? new LatencySummary(0, null, null, null, null)
        : new LatencySummary(histogram.Count, Round(histogram.Percentile(50)), Round(histogram.Percentile(90)), Round(histogram.Percentile(99)), Round(histogram.MaxMs));

    private static double Round(double ms) => Math.Round(ms, 3);
}
