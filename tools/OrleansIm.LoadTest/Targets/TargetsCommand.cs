using System.Globalization;
using System.Text.Json;
using OrleansIm.LoadTest.Output;

namespace OrleansIm.LoadTest.Targets;

/// <summary>
/// <c>targets</c>: measures each of issue 12's performance targets with the load-test scenarios — each run on a fresh
/// node the tool starts (or the cluster given), the floor first — and prints them in one table with the floor beside
/// the figures that are ratios. The targets are goals on this kind of machine, not assertions: the command reports.
/// </summary>
public static class TargetsCommand
{
    public const double TransientRatioGoal = 0.5, PersistedRatioGoal = 0.33, LoadedShare = 0.7;
    public const double TransientP99GoalMs = 50, GroupP99GoalMs = 200, IdleSocketGoalKiB = 10, ClusterGoalPerSecond = 5000;

    /// <summary>Long enough for two of the sockets' re-registration rounds (every 60 s).</summary>
    public const int IdleHoldSeconds = 150;

    public static async Task<int> RunAsync(TargetsOptions options, TextWriter output)
    {
        var checks = new List<TargetCheck>();
        var common = new List<string> { "--plain", "--duration", Invariant(options.DurationSeconds) };
        if (options.SiloDll is not null) common.AddRange(["--silo", options.SiloDll]);
        string[] warmUp = ["--warm-up", Invariant(options.WarmUpSeconds)];
        string[] Chat(params string[] more) => ["chat", "--users", Invariant(options.Users), "--window", Invariant(options.Window), .. common, .. warmUp, .. more];

        // 1. Transient 1:1 at saturation, the floor (a bare WebSocket relay) minutes before it in the same run.
        var transient = await RunAsync(Chat("--transient", "--floor"), output);
        var floorRate = transient.Floor!.DeliveredPerSecond;
        var transientRate = transient.Run.DeliveredPerSecond;
        checks.Add(CountedIfComplete(Ratio("transient 1:1 delivered/s", TransientRatioGoal, transientRate, floorRate, Delivery(transient.Run)), transient.Run));

        // 2. Transient 1:1, open loop at 70 % of the rate it just reached: delivery latency.
        var loadedRate = Math.Max(1, Math.Round(transientRate * LoadedShare));
        var loaded = await RunAsync(Chat("--transient", "--rate", Invariant(loadedRate), "--ramp-up", "2"), output);
        checks.Add(CountedIfComplete(AtMost($"transient 1:1 delivery p99 at 70 % ({loadedRate:N0} msgs/s)", TransientP99GoalMs, P99(loaded.Run, "delivery"), "ms",
            $"{loaded.Run.DeliveredPerSecond:N0} delivered/s of {loadedRate:N0} offered; {Delivery(loaded.Run)}"), loaded.Run));

        // 3. Persisted 1:1 on the standalone node, against the floor of step 1.
        var persisted = await RunAsync(Chat(), output);
        checks.Add(CountedIfComplete(Ratio("persisted 1:1 delivered/s", PersistedRatioGoal, persisted.Run.DeliveredPerSecond, floorRate, Checked(persisted)), persisted.Run));

        // 4. A group of GroupSize members, all online, one sender at a low open-loop rate: fan-out latency.
        var group = await RunAsync(["group", "--users", Invariant(options.GroupSize), "--group-size", Invariant(options.GroupSize),
            "--senders-per-group", "1", "--rate", Invariant(options.GroupRate), "--concurrency", "128", .. common, .. warmUp], output);
        checks.Add(CountedIfComplete(AtMost($"{options.GroupSize:N0}-member group delivery p99", GroupP99GoalMs, P99(group.Run, "delivery"), "ms",
            $"{group.Run.DeliveredPerSecond:N0} deliveries/s; {Checked(group)}"), group.Run));

        // 5. Idle authenticated sockets: server memory per socket.
        checks.Add(await IdleSocketsAsync(options, options.SiloDll, output));

        // 6. The local cluster (2 gateways + 3 silos + Redis + PostgreSQL), persisted 1:1.
        if (options.ClusterUrls is null)
        {
            checks.Add(new TargetCheck("local cluster persisted 1:1 acked/s", $"≥ {ClusterGoalPerSecond:N0}", null, "msgs/s", null, null, null,
                "not run: give --cluster-urls of scripts/local-cluster.sh's gateways"));
        }
        else
        {
            var cluster = await RunAsync(["chat", "--urls", options.ClusterUrls, "--users", Invariant(options.Users), "--window", Invariant(options.Window),
                "--plain", "--duration", Invariant(options.DurationSeconds), .. warmUp], output);
            var rate = cluster.Run.AckedPerSecond;
            checks.Add(CountedIfComplete(new TargetCheck("local cluster persisted 1:1 acked/s", $"≥ {ClusterGoalPerSecond:N0}", Math.Round(rate), "msgs/s", floorRate,
                Round(rate / floorRate), rate >= ClusterGoalPerSecond, Checked(cluster)), cluster.Run));
        }

        Print(checks, output);
        if (options.JsonPath is not null)
        {
            await File.WriteAllTextAsync(options.JsonPath, JsonSerializer.Serialize(checks, JsonReport.Options));
            output.WriteLine($"JSON: {Path.GetFullPath(options.JsonPath)}");
        }
        return checks.Any(c => c.Met == false) ? 3 : 0;
    }

    /// <summary>
    /// What an idle socket costs a node that has been up a while: the node's RSS over its RSS after the logins, per
    /// socket, at the end of a hold long enough for two re-registration rounds (the held sockets ping every 30 s, as
    /// idle apps do). Right after a connect storm RSS has not yet grown into the garbage collector's allocation budget,
    /// which grows with the heap: that earlier, lower figure is in the note.
    /// </summary>
    private static async Task<TargetCheck> IdleSocketsAsync(TargetsOptions options, string? siloDll, TextWriter output)
    {
        const string name = "idle authenticated socket, server memory (steady state)";
        var goal = $"≤ {IdleSocketGoalKiB} KiB at {options.IdleSockets:N0}";
        if (options.IdleSockets == 0) return new TargetCheck(name, goal, null, "KiB", null, null, null, "skipped (--idle-sockets 0)");
        var limit = OpenFileLimit();
        if (limit is { } l && l < options.IdleSockets + 1000)
            return new TargetCheck(name, goal, null, "KiB", null, null, null, $"not run: ulimit -n is {l}; run with ulimit -n {options.IdleSockets + 2000} or more");
        List<string> idle = ["idle-sockets", "--plain", "--concurrency", "128", "--duration", Invariant(IdleHoldSeconds), "--users", Invariant(options.IdleSockets)];
        if (siloDll is not null) idle.AddRange(["--silo", siloDll]);
        var run = (await RunAsync([.. idle], output)).Run;
        if (!run.Extra.TryGetValue("server KiB per idle socket at the end of the hold", out var kib))
            return new TargetCheck(name, goal, null, "KiB", null, null, null, "the run gave no memory figure (the tool must start the node)");
        var open = run.Extra.GetValueOrDefault("sockets open at the end");
        return new TargetCheck(name, goal, Math.Round(kib, 1), "KiB", null, null, kib <= IdleSocketGoalKiB && open >= options.IdleSockets,
            $"{open:N0} sockets open at the end of a {IdleHoldSeconds} s hold; {run.Extra.GetValueOrDefault("server KiB per idle socket"):F1} KiB just after connecting");
    }

    private static async Task<LoadTestReport> RunAsync(string[] args, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("── " + string.Join(' ', args));
        return await LoadTestRunner.RunAsync(LoadTestSettings.Parse(args), output, "OrleansIm.LoadTest " + string.Join(' ', args));
    }

    private static TargetCheck Ratio(string target, double goal, double measured, double floor, string note)
    {
        var ratio = floor > 0 ? measured / floor : (double?)null;
        return new TargetCheck(target, $"≥ {goal}× floor", Math.Round(measured), "msgs/s", Math.Round(floor), Round(ratio), ratio >= goal, note);
    }

    private static TargetCheck AtMost(string target, double goal, double? measured, string unit, string note) =>
        new(target, $"≤ {goal} {unit}", measured, unit, null, null, measured is null ? null : measured <= goal, note);

    /// <summary>
    /// A rate or a latency counts only if every expected push arrived and nothing failed: a run whose slow clients the
    /// server closed (1008) measured the survivors, and its p99 leaves out exactly the messages that were late.
    /// </summary>
    private static TargetCheck CountedIfComplete(TargetCheck check, RunResult run) =>
        run.Errors == 0 && run.Delivered >= run.ExpectedDeliveries
            ? check
            : check with { Met = check.Met is null ? null : false, Note = "INCOMPLETE RUN, not counted: " + check.Note };

    private static double? P99(RunResult run, string kind) => run.Latency.TryGetValue(kind, out var l) ? l.P99Ms : null;

    private static string Delivery(RunResult run) => $"delivered {run.Delivered:N0} of {run.ExpectedDeliveries:N0} expected, errors {run.Errors:N0}";

    private static string Checked(LoadTestReport report) => report.Run.Check is { } check
        ? (check.Passed ? "delivery check passed" : "DELIVERY CHECK FAILED") + "; " + Delivery(report.Run)
        : Delivery(report.Run);

    private static void Print(IReadOnlyList<TargetCheck> checks, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Issue 12 targets ({Environment.ProcessorCount} cores, load average {LoadAverage()}):");
        output.WriteLine($"  {"target",-52} {"goal",-22} {"measured",12} {"floor",10} {"× floor",8}  verdict");
        foreach (var c in checks)
        {
            var verdict = c.Met switch { true => "met", false => "MISSED", null => "–" };
            output.WriteLine($"  {c.Target,-52} {c.Goal,-22} {Format(c.Measured) + " " + c.Unit,12} {Format(c.Floor),10} {Format(c.Ratio),8}  {verdict}");
            output.WriteLine($"      {c.Note}");
        }
    }

    /// <summary>The soft limit on open files, from /proc (null where there is none).</summary>
    private static long? OpenFileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
            return long.TryParse(soft, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 3);

    private static string Format(double? value) => value is null ? "–" : value.Value.ToString(Math.Abs(value.Value) >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture);

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
