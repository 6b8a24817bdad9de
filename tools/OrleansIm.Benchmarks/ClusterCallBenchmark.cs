using System.Diagnostics;
using OrleansIm.Runtime.Testing;

namespace OrleansIm.Benchmarks;

/// <summary>
/// Grain calls across silos: three silos in this process talking TCP on loopback; the caller is silo 0 and
/// only grains owned by the other two are called, so every call is a network round trip.
/// </summary>
public static class ClusterCallBenchmark
{
    public static async Task RunAsync(TimeSpan duration, int concurrency)
    {
        await using var cluster = await TestCluster.StartClusterAsync(3, silo => silo.AddGrains(typeof(BenchGrain).Assembly));
        var self = cluster.AddressOf(0);
        var factory = cluster.GrainFactoryOf(0);
        var remote = Enumerable.Range(0, 1000)
            .Select(i => $"x{i}")
            .Where(k => cluster.OwnerOf(new OrleansIm.Runtime.GrainId("bench", k)) != self)
            .Take(100)
            .Select(k => factory.GetGrain<IBenchGrain>(k))
            .ToArray();
        foreach (var g in remote) await g.Ping(0);

        var latencies = new List<double>();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < duration / 3)
        {
            var start = Stopwatch.GetTimestamp();
            await remote[latencies.Count % remote.Length].Ping(1);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        Report.Line($"cross-silo calls, 1 caller:        {latencies.Count / sw.Elapsed.TotalSeconds,10:N0} calls/s   p50 {GrainCallBenchmark.Percentile(latencies, 50):N0} µs   p99 {GrainCallBenchmark.Percentile(latencies, 99):N0} µs");

        long count = 0;
        sw.Restart();
        var stopAt = duration * 2 / 3;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var grain = remote[w % remote.Length];
            long local = 0;
            while (sw.Elapsed < stopAt)
            {
                await grain.Ping(w);
                local++;
            }
            Interlocked.Add(ref count, local);
        })));
        Report.Line($"cross-silo calls, {concurrency} callers:       {count / sw.Elapsed.TotalSeconds,10:N0} calls/s");
    }
}
