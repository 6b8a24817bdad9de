using System.Diagnostics;
using OrleansIm.Runtime.Testing;

namespace OrleansIm.Benchmarks;

/// <summary>Local grain calls through the full message path (serialize, mailbox, turn, response).</summary>
public static class GrainCallBenchmark
{
    public static async Task RunAsync(TimeSpan duration, int grains, int concurrency)
    {
        await using var cluster = await TestCluster.StartAsync(silo => silo.AddGrains(typeof(BenchGrain).Assembly));
        var refs = Enumerable.Range(0, grains).Select(i => cluster.GrainFactory.GetGrain<IBenchGrain>($"g{i}")).ToArray();
        foreach (var g in refs) await g.Ping(0); // activate

        // Sequential: one caller, one grain → per-call latency.
        var latencies = new List<double>();
        var sw = Stopwatch.StartNew();
        var single = refs[0];
        while (sw.Elapsed < duration / 3)
        {
            var start = Stopwatch.GetTimestamp();
            await single.Ping(1);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        Report.Line($"grain calls, 1 caller:            {latencies.Count / sw.Elapsed.TotalSeconds,10:N0} calls/s   p50 {Percentile(latencies, 50):N1} µs   p99 {Percentile(latencies, 99):N1} µs");

        // Concurrent: many callers spread over many grains → throughput.
        long count = 0;
        sw.Restart();
        var stopAt = duration * 2 / 3;
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var grain = refs[w % refs.Length];
            long local = 0;
            while (sw.Elapsed < stopAt)
            {
                await grain.Ping(w);
                local++;
            }
            Interlocked.Add(ref count, local);
        })).ToArray();
        await Task.WhenAll(workers);
        Report.Line($"grain calls, {concurrency} callers / {grains} grains: {count / sw.Elapsed.TotalSeconds,10:N0} calls/s");
    }

    public static double Percentile(List<double> values, double percentile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
