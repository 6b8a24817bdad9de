using System.Globalization;
using OrleansIm.Fuzz;
using OrleansIm.ToolsShared;

// Usage: dotnet run -c Release --project tools/OrleansIm.Fuzz -- [--seed N] [--count N] [--lanes N]
//        [--url http://127.0.0.1:9688 --app-key K]   (against a running node instead of a fresh child process)
//        [--replay I]                               (only input I of the seed, with everything it sent and saw)
//        [--warmup N]                               (inputs of another seed run first, before the memory baseline; 2000)
// Exit code 0: no failure; 1: a failure (listed with its seed and input index); 2: bad arguments.
var seed = IntArg("--seed", 1);
var count = IntArg("--count", 10_000);
var lanes = IntArg("--lanes", 4);
var warmup = IntArg("--warmup", 2000);
var replay = args.Contains("--replay") ? IntArg("--replay", -1) : (int?)null;
var url = StringArg("--url");
var appKey = StringArg("--app-key") ?? "keyAbcd123";
if (count < 0 || lanes < 1 || replay < 0)
{
    Console.Error.WriteLine("--count, --lanes and --replay take non-negative numbers (lanes at least 1).");
    return 2;
}

// The node's output is scanned for errors, stack traces and unhandled exceptions, and kept in a log file.
using var nodeLogs = url is null ? new NodeLogScanner(Path.Combine(Path.GetTempPath(), $"orleansim-fuzz-node-{Environment.ProcessId}.log")) : null;
await using var node = nodeLogs is null ? null : await NodeProcess.StartAsync(outputLine: nodeLogs.Add);
var baseUri = node?.BaseUri ?? new Uri(url!);
Console.WriteLine($"OrleansIm fuzzer: seed {seed}, {(replay is null ? $"{count} inputs on {lanes} lanes" : $"replay of input {replay}")}, " +
                  $"against {(node is null ? baseUri : $"a new standalone node at {baseUri}")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

var failed = false;
if (replay is not null)
{
    await using var engine = new FuzzEngine(baseUri, new FuzzSettings { Seed = seed, Replay = replay, AppKey = appKey });
    await engine.PrepareAsync();
    var report = await engine.RunAsync(line => Console.WriteLine("  " + line));
    failed = report.Failures.Count > 0;
    if (node is not null)
    {
        await Task.Delay(500); // the node's last log lines
        foreach (var line in nodeLogs!.Suspicious) Console.WriteLine("  node | " + line);
        failed |= nodeLogs!.Suspicious.Count > 0;
    }
    Console.WriteLine(failed ? "FAILED" : "ok");
}
else
{
    if (node is not null && warmup > 0)
    {
        // Another seed's inputs first: JIT, pools and caches settle, so the baseline is the node's working size.
        await using var warm = new FuzzEngine(baseUri, new FuzzSettings { Seed = seed ^ 0x5EED, Count = warmup, Lanes = lanes, AppKey = appKey });
        await warm.PrepareAsync();
        var warmReport = await warm.RunAsync();
        Console.WriteLine($"warm-up (seed {seed ^ 0x5EED}): {warmReport.Inputs} inputs, {warmReport.Failures.Count} failures");
        failed |= warmReport.Failures.Count > 0;
        if (warmReport.Failures.Count > 0) Console.Write(warmReport.Summary());
    }
    var baseline = await SettledRssAsync();
    long peak = baseline ?? 0;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, node?.ResidentBytes ?? 0);
            try { await Task.Delay(1000, sampling.Token); } catch (OperationCanceledException) { }
        }
    });

    await using var engine = new FuzzEngine(baseUri, new FuzzSettings { Seed = seed, Count = count, Lanes = lanes, AppKey = appKey, ProgressEvery = 10_000 });
    await engine.PrepareAsync();
    var report = await engine.RunAsync(Console.WriteLine);
    await sampling.CancelAsync();
    await sampler;
    Console.Write(report.Summary());
    failed |= report.Failures.Count > 0;

    if (node is not null)
    {
        var after = await SettledRssAsync();
        if (node.HasExited)
        {
            Console.WriteLine($"node process: EXITED with code {node.ExitCode}");
            failed = true;
        }
        else Console.WriteLine("node process: still running (no crash)");
        var suspicious = nodeLogs!.Suspicious;
        Console.WriteLine($"node log ({nodeLogs!.LogFile}): {nodeLogs!.Lines} lines, {suspicious.Count} entries with an error, an unhandled " +
                          $"exception or a stack trace; of which {nodeLogs!.KnownObserverRaces} a call to the observer of a connection just closed (fixed: should be 0)");
        foreach (var entry in suspicious.Take(10)) Console.WriteLine("  | " + entry.Replace("\n", "\n  | ", StringComparison.Ordinal));
        failed |= suspicious.Count > 0;
        if (baseline is { } b && after is { } a)
        {
            // Back near the baseline: the run's garbage collected and its connections gone; data kept (messages,
            // users, grain activations within their idle time) may grow it by a bounded amount.
            var limit = (long)(b * 1.5) + 64L * 1024 * 1024;
            var ok = a <= limit;
            Console.WriteLine($"node RSS: baseline {Mib(b)}, peak {Mib(peak)}, after {Mib(a)} (limit {Mib(limit)} = 1.5 × baseline + 64 MiB): {(ok ? "ok" : "TOO HIGH")}");
            failed |= !ok;
        }
        else Console.WriteLine("node RSS: not available on this platform");
    }
    Console.WriteLine(failed ? $"FAILED (replay one input with: --seed {seed} --replay <index>)" : "ok");
}
return failed ? 1 : 0;

// The lowest of a few samples over 10 s: a sample mid-collection is not the working size.
async Task<long?> SettledRssAsync()
{
    if (node?.ResidentBytes is null) return null;
    long lowest = long.MaxValue;
    for (var i = 0; i < 10; i++)
    {
        await Task.Delay(1000);
        lowest = Math.Min(lowest, node.ResidentBytes ?? long.MaxValue);
    }
    return lowest;
}

static string Mib(long bytes) => (bytes / 1024.0 / 1024).ToString("F0", CultureInfo.InvariantCulture) + " MiB";

int IntArg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}

string? StringArg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
