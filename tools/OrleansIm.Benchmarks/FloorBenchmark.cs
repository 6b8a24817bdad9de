using OrleansIm.ToolsShared;

namespace OrleansIm.Benchmarks;

/// <summary>The e2e client loop against <see cref="FloorServer"/>: what the sockets and JSON alone allow on this machine.</summary>
public static class FloorBenchmark
{
    public static async Task<EndToEndBenchmark.Result> RunAsync(TimeSpan duration, int pairs, int window, TimeSpan warmUp = default)
    {
        await using var server = await FloorServer.StartAsync();
        return await EndToEndBenchmark.DriveAsync("floor (bare WebSocket relay, in-process, no grains)", "relayed", [server.BaseUrl], duration, pairs, window, "floor",
            warmUp: warmUp);
    }
}
