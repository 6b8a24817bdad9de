using OrleansIm.Benchmarks;

// Usage: dotnet run -c Release --project tools/OrleansIm.Benchmarks -- [grains|e2e|floor|cluster|all] [--seconds N] [--pairs N] [--window N]
//        [--warm-up N]                              (e2e, floor: N seconds of the same load first, left out of the figures)
//        [--no-floor]                               (e2e without the floor run; e2e and all measure the floor first by default)
//        [--silo path/to/OrleansIm.Silo.dll]       (e2e against another build's standalone node, e.g. to compare builds)
//        [--urls http://gw1:9688,http://gw2:9689 --app-key K]   (e2e against running gateways instead of a fresh standalone node)
var mode = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
var seconds = IntArg("--seconds", 10);
var pairs = IntArg("--pairs", 50);
var window = IntArg("--window", 8);
var urls = StringArg("--urls");
var appKey = StringArg("--app-key") ?? "keyAbcd123";
var siloDll = StringArg("--silo");
var floor = !args.Contains("--no-floor");
var duration = TimeSpan.FromSeconds(seconds);
var warmUp = TimeSpan.FromSeconds(IntArg("--warm-up", 0));

if (mode is not ("grains" or "e2e" or "floor" or "cluster" or "all"))
{
    Console.Error.WriteLine($"Unknown mode '{mode}': use grains, e2e, floor, cluster or all.");
    return 2;
}

Console.WriteLine($"OrleansIm benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (mode is "grains" or "all") await GrainCallBenchmark.RunAsync(duration, grains: 100, concurrency: 64);
if (mode is "floor") await FloorBenchmark.RunAsync(duration, pairs, window, warmUp);
if (mode is "e2e" or "all")
{
    var floorResult = floor ? await FloorBenchmark.RunAsync(duration, pairs, window, warmUp) : null;
    var result = await EndToEndBenchmark.RunAsync(duration, pairs, window, urls, appKey, siloDll, warmUp);
    if (floorResult is not null)
        Report.Line($"end to end / floor: {result.AckedPerSecond / floorResult.AckedPerSecond:P1} of the bare relay's msgs/s");
}
if (mode is "cluster") await ClusterCallBenchmark.RunAsync(duration, concurrency: 64);
return 0;

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
