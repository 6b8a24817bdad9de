using System.Globalization;
using System.Runtime.InteropServices;
using OrleansIm.LoadTest.Checking;
using OrleansIm.LoadTest.Metrics;
using OrleansIm.LoadTest.Output;
using OrleansIm.LoadTest.Scenarios;

namespace OrleansIm.LoadTest;

/// <summary>
/// Runs a scenario: first against the floor (with <c>--floor</c>), then against the target, with live progress; checks
/// delivery against the server's history; prints the figures (with ratios to the floor) and writes the reports.
/// </summary>
public static class LoadTestRunner
{
    public static async Task<LoadTestReport> RunAsync(LoadTestSettings settings, TextWriter output, string command = "")
    {
        var machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
        output.WriteLine($"OrleansIm load test: {settings.Scenario}, {machine}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

        RunResult? floor = null;
        if (settings.Floor)
        {
            await using var floorTarget = await ServerTarget.StartFloorAsync();
            floor = await RunOnceAsync(settings, floorTarget, output);
        }
        await using var target = await ServerTarget.StartAsync(settings);
        var run = await RunOnceAsync(settings, target, output);

        var report = new LoadTestReport("OrleansIm.LoadTest", machine, command, run, floor, LoadTestReport.Ratios(run, floor));
        PrintSummary(report, output);
        if (settings.JsonPath is not null)
        {
            await JsonReport.WriteAsync(report, settings.JsonPath);
            output.WriteLine($"JSON: {Path.GetFullPath(settings.JsonPath)}");
        }
        if (settings.HtmlPath is not null)
        {
            await HtmlReport.WriteAsync(report, settings.HtmlPath);
            output.WriteLine($"HTML: {Path.GetFullPath(settings.HtmlPath)}");
        }
        return report;
    }

    private static async Task<RunResult> RunOnceAsync(LoadTestSettings settings, ServerTarget target, TextWriter output)
    {
        var metrics = new RunMetrics();
        using var context = new ScenarioContext(settings, target, metrics);
        var started = DateTime.UtcNow;
        var label = $"{settings.Scenario} against {target.Description}";
        var work = Scenarios.Scenarios.Create(settings.Scenario).RunAsync(context);
        await LiveProgress.ShowWhileAsync(work, context, label, output, settings.Plain);

        CheckSummary? check = null;
        if (settings.Check && !settings.Transient && !target.IsFloor && !context.Ledger.Conversations.IsEmpty)
        {
            context.Phase = "checking";
            output.WriteLine($"checking delivery against the history of {context.Ledger.Conversations.Count:N0} conversations…");
            var history = await HistoryReader.ReadAsync(context);
            check = CheckSummary.Of(DeliveryChecker.Check(history, context.Ledger.Acked, context.Ledger.Delivered));
        }
        return Result(settings, target, started, context, check);
    }

    private static RunResult Result(LoadTestSettings settings, ServerTarget target, DateTime started, ScenarioContext context, CheckSummary? check)
    {
        var m = context.Metrics;
        var kinds = Enum.GetValues<LatencyKind>();
        double? P(LatencyHistogram h, double percent) => h.Count == 0 ? null : Math.Round(h.Percentile(percent), 3);
        var timeline = m.Timeline().Select(p => new TimelinePoint(p.Second, p.Slot.Acked, p.Slot.Delivered, p.Slot.Errors, p.Slot.Connects, p.Slot.Events,
            P(p.Slot.Latency[(int)LatencyKind.Ack], 50), P(p.Slot.Latency[(int)LatencyKind.Ack], 99),
            P(p.Slot.Latency[(int)LatencyKind.Delivery], 50), P(p.Slot.Latency[(int)LatencyKind.Delivery], 99),
            P(p.Slot.Latency[(int)LatencyKind.Signal], 50), P(p.Slot.Latency[(int)LatencyKind.Signal], 99))).ToList();
        var seconds = settings.DurationSeconds;
        return new RunResult(settings.Scenario, target.Description, started, seconds, m.Sent, m.Acked, m.Delivered, m.ExpectedDeliveries, m.Errors,
            m.RateLimited + context.Api.RateLimited, m.Connects, m.ConnectFailures, m.Events, Math.Round(m.MeasuredAcked / seconds, 1), Math.Round(m.MeasuredDelivered / seconds, 1),
            kinds.ToDictionary(k => Name(k), k => LatencySummary.Of(m.Latency(k))),
            context.Extra.ToDictionary(e => e.Key, e => Math.Round(e.Value, 3)),
            context.ErrorKinds.ToDictionary(e => e.Key, e => e.Value),
            timeline,
            kinds.ToDictionary(k => Name(k), k => (IReadOnlyList<double[]>)m.Latency(k).Buckets().Select(b => new[] { b.FromMs, b.ToMs, b.Count }).ToList()),
            check);
    }

    private static string Name(LatencyKind kind) => kind.ToString().ToLowerInvariant();

    private static void PrintSummary(LoadTestReport report, TextWriter output)
    {
        var run = report.Run;
        var floorFigures = report.Floor is null ? null : LoadTestReport.Figures(report.Floor);
        output.WriteLine();
        output.WriteLine($"{run.Scenario} against {run.Target}:");
        foreach (var (name, value) in LoadTestReport.Figures(run))
        {
            var line = $"  {name,-22} {Format(value),12}";
            if (floorFigures is not null)
                line += $"   floor {Format(floorFigures.GetValueOrDefault(name)),10}   ×{(report.RatioToFloor.TryGetValue(name, out var r) ? r.ToString("0.###", CultureInfo.InvariantCulture) : "–")} of the floor";
            output.WriteLine(line);
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sent {run.Sent:N0}, acked {run.Acked:N0}, delivered {run.Delivered:N0} of {run.ExpectedDeliveries:N0} expected, errors {run.Errors:N0}, rate-limited {run.RateLimited:N0}, connects {run.Connects:N0} ({run.ConnectFailures:N0} failed), events {run.Events:N0}"));
        foreach (var (name, value) in run.Extra) output.WriteLine($"  {name}: {Format(value)}");
        foreach (var (error, count) in run.ErrorKinds.Take(10)) output.WriteLine($"  error ×{count:N0}: {error}");
        if (run.Check is not null)
        {
            output.WriteLine(run.Check.Summary);
            foreach (var example in run.Check.Examples) output.WriteLine("  " + example);
        }
    }

    private static string Format(double? value) => value is null ? "–" : value.Value.ToString(Math.Abs(value.Value) >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture);
}
