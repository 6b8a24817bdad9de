using OrleansIm.Benchmarks;

// Usage: dotnet run -c Release --project tools/OrleansIm.Benchmarks -- [grains|e2e|all] [--seconds N] [--pairs N] [--window N] [--url http://host:port]
var mode = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
var seconds = IntArg("--seconds", 10);
var pairs = IntArg("--pairs", 50);
var window = IntArg("--window", 8);
var url = StringArg("--url");

Console.WriteLine($"OrleansIm benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (mode is "grains" or "all") await GrainCallBenchmark.RunAsync(TimeSpan.FromSeconds(seconds), grains: 100, concurrency: 64);
if (mode is "e2e" or "all") await EndToEndBenchmark.RunAsync(TimeSpan.FromSeconds(seconds), pairs, window, url);
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
