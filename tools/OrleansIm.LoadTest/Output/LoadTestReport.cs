namespace OrleansIm.LoadTest.Output;

/// <summary>What <c>--json</c> writes and <c>--html</c> draws: the run, the floor run before it (with <c>--floor</c>) and
/// each comparable figure as a ratio to the floor's.</summary>
public sealed record LoadTestReport(string Tool, string Machine, string Command, RunResult Run, RunResult? Floor, IReadOnlyDictionary<string, double> RatioToFloor)
{
    /// <summary>True when the run completed and the delivery check (if it ran) passed.</summary>
    public bool Passed => Run.Check?.Passed ?? true;

    /// <summary>The figures compared with the floor: name → value (higher is better for rates, lower for latencies).</summary>
    public static IReadOnlyDictionary<string, double?> Figures(RunResult run)
    {
        var figures = new Dictionary<string, double?>
        {
            ["acked/s"] = run.Acked > 0 ? run.AckedPerSecond : null,
            ["delivered/s"] = run.Delivered > 0 ? run.DeliveredPerSecond : null,
        };
        foreach (var (kind, latency) in run.Latency.Where(l => l.Value.Count > 0))
        {
            figures[$"{kind} p50 ms"] = latency.P50Ms;
            figures[$"{kind} p99 ms"] = latency.P99Ms;
        }
        foreach (var name in new[] { "connects/s", "server KiB per idle socket" })
        {
            if (run.Extra.TryGetValue(name, out var value)) figures[name] = value;
        }
        return figures.Where(f => f.Value is not null).ToDictionary();
    }

    public static IReadOnlyDictionary<string, double> Ratios(RunResult run, RunResult? floor)
    {
        if (floor is null) return new Dictionary<string, double>();
        var floorFigures = Figures(floor);
        return Figures(run)
            .Where(f => f.Value is not null && floorFigures.GetValueOrDefault(f.Key) is > 0)
            .ToDictionary(f => f.Key, f => Math.Round(f.Value!.Value / floorFigures[f.Key]!.Value, 4));
    }
}
