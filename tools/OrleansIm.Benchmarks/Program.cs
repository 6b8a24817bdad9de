using OrleansIm.Benchmarks;

// Usage: dotnet run -c Release --project tools/OrleansIm.Benchmarks -- [grains|e2e|cluster|all] [--seconds N] [--pairs N] [--window N]
//        [--urls http://gw1:9688,http://gw2:9689 --app-key K]   (e2e against running gateways instead of a fresh standalone node)
var mode = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
var seconds = IntArg("--seconds", 10);
var pairs = IntArg("--pairs", 50);
var window = IntArg("--window", 8);
var urls = StringArg("--urls");
var appKey = StringArg("--app-key") ?? "keyAbcd123";

Console.WriteLine($"OrleansIm benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (mode is "grains" or "all") await GrainCallBenchmark.RunAsync(TimeSpan.FromSeconds(seconds), grains: 100, concurrency: 64);
if (mode is "e2e" or "all") await EndToEndBenchmark.RunAsync(TimeSpan.FromSeconds(seconds), pairs, window, urls, appKey);
if (mode is "cluster") await ClusterCallBenchmark.RunAsync(TimeSpan.FromSeconds(seconds), concurrency: 64);
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
