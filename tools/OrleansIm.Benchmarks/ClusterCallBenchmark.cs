namespace OrleansIm.Benchmarks;

/// <summary>
/// Grain calls across silos: three Orleans silos in this process talking TCP on 127.0.0.1. Grains use random
/// placement; silo 0 activates 300 of them, reports which fraction landed on the other silos, and then calls
/// only those remote ones (from silo 0's grain factory), so every call is a network round trip — the same
/// measurement as before the move, where the runtime's owner lookup picked the remote grains.
/// </summary>
public static class ClusterCallBenchmark
{
    public static async Task RunAsync(TimeSpan duration, int concurrency)
    {
        const int siloCount = 3;
        await using var silos = await BenchSilos.StartAsync(siloCount);
        var factory = silos.GrainFactoryOf(0);
        var self = silos.IdentityOf(0);

        var all = Enumerable.Range(0, 300).Select(i => factory.GetGrain<IBenchGrain>($"x{i}")).ToArray();
        var where = await Task.WhenAll(all.Select(g => g.Where()));
        var remote = all.Where((_, i) => where[i] != self).Take(100).ToArray();
        var perSilo = Enumerable.Range(0, siloCount).Select(s => where.Count(w => w == silos.IdentityOf(s)));
        Report.Line($"cross-silo placement: {siloCount} silos, random placement from silo 0: {100.0 * where.Count(w => w != self) / where.Length:N0} % of 300 grains remote (per silo: {string.Join(" / ", perSilo)})");
        if (remote.Length == 0) throw new InvalidOperationException("No grain was placed on another silo.");

        var (perSecond, p50, p99) = await GrainCallBenchmark.SequentialAsync(remote, duration / 3);
        Report.Line($"cross-silo calls, 1 caller:        {perSecond,10:N0} calls/s   p50 {p50:N0} µs   p99 {p99:N0} µs");
        var throughput = await GrainCallBenchmark.ConcurrentAsync(remote, concurrency, duration * 2 / 3);
        Report.Line($"cross-silo calls, {concurrency} callers:       {throughput,10:N0} calls/s");
    }
}
