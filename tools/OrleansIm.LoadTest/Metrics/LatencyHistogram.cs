namespace OrleansIm.LoadTest.Metrics;

/// <summary>
/// A thread-safe latency histogram with logarithmic buckets (about 4.7 % wide, from 1 µs to about an hour), so
/// percentiles can be read at any time in constant memory while millions of samples arrive. Percentiles are the
/// bucket's geometric middle: within ±2.4 % of the exact sample.
/// </summary>
public sealed class LatencyHistogram
{
    private const double SmallestMs = 0.001;
    private const double BucketsPerE = 21.5; // e^(1/21.5) ≈ 1.047
    private const int BucketCount = 480;

    private readonly long[] _counts = new long[BucketCount];
    private long _total;
    private long _maxMicroseconds;

    public long Count => Interlocked.Read(ref _total);

    public double MaxMs => Interlocked.Read(ref _maxMicroseconds) / 1000.0;

    public void Record(double ms)
    {
        Interlocked.Increment(ref _counts[BucketOf(ms)]);
        Interlocked.Increment(ref _total);
        var micros = (long)(ms * 1000);
        long seen;
        while (micros > (seen = Interlocked.Read(ref _maxMicroseconds)) && Interlocked.CompareExchange(ref _maxMicroseconds, micros, seen) != seen) { }
    }

    /// <summary>The latency below which <paramref name="percent"/> % of the samples lie; NaN without samples.</summary>
    public double Percentile(double percent)
    {
        var total = Count;
        if (total == 0) return double.NaN;
        var rank = (long)Math.Ceiling(total * percent / 100.0);
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank) return Math.Min(Middle(i), MaxMs);
        }
        return MaxMs;
    }

    /// <summary>The non-empty buckets: lower bound, upper bound (ms) and count, for the histogram plot.</summary>
    public IReadOnlyList<(double FromMs, double ToMs, long Count)> Buckets()
    {
        var list = new List<(double, double, long)>();
        for (var i = 0; i < BucketCount; i++)
        {
            var count = Interlocked.Read(ref _counts[i]);
            if (count > 0) list.Add((Lower(i), Lower(i + 1), count));
        }
        return list;
    }

    private static int BucketOf(double ms) =>
        ms <= SmallestMs ? 0 : Math.Min(BucketCount - 1, (int)(Math.Log(ms / SmallestMs) * BucketsPerE));

    private static double Lower(int bucket) => SmallestMs * Math.Exp(bucket / BucketsPerE);

    private static double Middle(int bucket) => SmallestMs * Math.Exp((bucket + 0.5) / BucketsPerE);
}
