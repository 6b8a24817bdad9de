using System.Diagnostics;
using Orleans;

namespace OrleansIm.Benchmarks;

/// <summary>
/// Local grain calls on one Orleans silo, made through the silo's own grain factory (the silo's hosted client,
/// the same path the standalone node's gateway uses): request message, activation scheduler turn, response.
/// </summary>
public static class GrainCallBenchmark
{
    public static async Task RunAsync(TimeSpan duration, int grains, int concurrency)
    {
        await using var silos = await BenchSilos.StartAsync(1);
        var factory = silos.GrainFactoryOf(0);
        var refs = Enumerable.Range(0, grains).Select(i => factory.GetGrain<IBenchGrain>($"g{i}")).ToArray();
        foreach (var g in refs) await g.Ping(0); // activate

        var (perSecond, p50, p99) = await SequentialAsync([refs[0]], duration / 3);
        Report.Line($"grain calls, 1 caller:            {perSecond,10:N0} calls/s   p50 {p50:N1} µs   p99 {p99:N1} µs");
        var throughput = await ConcurrentAsync(refs, concurrency, duration * 2 / 3);
        Report.Line($"grain calls, {concurrency} callers / {grains} grains: {throughput,10:N0} calls/s");
    }

    /// <summary>One caller awaiting each call in turn (round robin over <paramref name="grains"/>): calls/s and latency in µs.</summary>
    public static async Task<(double PerSecond, double P50, double P99)> SequentialAsync(IBenchGrain[] grains, TimeSpan duration)
    {
        var latencies = new List<double>();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < duration)
        {
            var start = Stopwatch.GetTimestamp();
            await grains[latencies.Count % grains.Length].Ping(1);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        return (latencies.Count / sw.Elapsed.TotalSeconds, Percentile(latencies, 50), Percentile(latencies, 99));
    }

    /// <summary><paramref name="concurrency"/> callers, each calling one of <paramref name="grains"/> in a loop: calls/s.</summary>
    public static async Task<double> ConcurrentAsync(IBenchGrain[] grains, int concurrency, TimeSpan duration)
    {
        long count = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var grain = grains[w % grains.Length];
            long local = 0;
            while (sw.Elapsed < duration)
            {
                await grain.Ping(w);
                local++;
            }
            Interlocked.Add(ref count, local);
        })));
        return count / sw.Elapsed.TotalSeconds;
    }

    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
