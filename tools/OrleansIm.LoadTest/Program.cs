using OrleansIm.LoadTest;
using OrleansIm.LoadTest.Targets;
using OrleansIm.ToolsShared;

// Usage: see LoadTestSettings.Usage and TargetsOptions.Usage (or run with --help).
if (args.Length > 0 && args[0] == "targets")
{
    // Issue 12's performance targets, measured one after another and printed in one table.
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(TargetsOptions.Usage);
        return 0;
    }
    try
    {
        return await TargetsCommand.RunAsync(TargetsOptions.Parse(args[1..]), Console.Out);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        Console.Error.WriteLine(TargetsOptions.Usage);
        return 2;
    }
    catch (Exception e) when (e is InvalidOperationException or HttpRequestException or System.Net.WebSockets.WebSocketException or FileNotFoundException)
    {
        Console.Error.WriteLine($"The run failed: {e.Message}");
        return 1;
    }
}
if (args.Length == 0 || args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(LoadTestSettings.Usage);
    return args.Length == 0 ? 2 : 0;
}
LoadTestSettings settings;
try
{
    settings = LoadTestSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadTestSettings.Usage);
    return 2;
}

if (settings.Scenario == "floor")
{
    // The floor as its own process, e.g. to drive it from another machine's load tool or to profile it alone.
    await using var floor = await FloorServer.StartAsync(settings.FloorPort);
    Console.WriteLine($"floor (bare Kestrel WebSocket relay) listening on {floor.BaseUrl}; Ctrl+C stops it");
    var stopped = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopped.TrySetResult(); };
    await stopped.Task;
    return 0;
}

try
{
    var report = await LoadTestRunner.RunAsync(settings, Console.Out, "OrleansIm.LoadTest " + string.Join(' ', args));
    return report.Passed ? 0 : 1;
}
catch (Exception e) when (e is InvalidOperationException or HttpRequestException or System.Net.WebSockets.WebSocketException or FileNotFoundException)
{
    Console.Error.WriteLine($"The run failed: {e.Message}");
    return 1;
}
