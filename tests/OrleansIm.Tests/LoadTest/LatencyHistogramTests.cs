using OrleansIm.LoadTest.Metrics;
using Xunit;

namespace OrleansIm.Tests.LoadTest;

/// <summary>The load-test tool's percentiles come from a logarithmic histogram: they must stay within its stated
/// ±2.4 % of the exact sample, and say "no samples" rather than 0.</summary>
public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_are_within_the_bucket_resolution_of_the_exact_samples()
    {
        var histogram = new LatencyHistogram();
        for (var i = 1; i <= 10_000; i++) histogram.Record(i / 10.0); // 0.1 … 1000 ms, evenly

        Assert.Equal(10_000, histogram.Count);
        Assert.InRange(histogram.Percentile(50), 500 * 0.976, 500 * 1.024);
        Assert.InRange(histogram.Percentile(99), 990 * 0.976, 990 * 1.024);
        Assert.InRange(histogram.Percentile(1), 10 * 0.976, 10 * 1.024);
        Assert.Equal(1000, histogram.MaxMs, precision: 3);
        Assert.True(histogram.Percentile(100) <= histogram.MaxMs);
        Assert.Equal(10_000, histogram.Buckets().Sum(b => b.Count));
    }

    [Fact]
    public void An_empty_histogram_has_no_percentile()
    {
        Assert.True(double.IsNaN(new LatencyHistogram().Percentile(50)));
    }
}
