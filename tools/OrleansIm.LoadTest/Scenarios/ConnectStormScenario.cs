using System.Diagnostics;

namespace OrleansIm.LoadTest.Scenarios;

/// <summary>
/// Login/connect storm: logs in <see cref="LoadTestSettings.Users"/> users (login/s is reported), then opens all their
/// sockets as fast as <see cref="LoadTestSettings.Concurrency"/> handshakes at once allow: connects/s, handshake
/// latency and failures. As <c>idle-sockets</c> it then holds the sockets idle for the duration and, when the tool
/// started the node, reports the node's resident memory per socket (after minus before, both the lowest of a few
/// samples once the node settled).
/// </summary>
public sealed class ConnectStormScenario(bool holdIdle) : IScenario
{
    public async Task RunAsync(ScenarioContext context)
    {
        var loginClock = Stopwatch.StartNew();
        var users = await context.LoginUsersAsync("s", context.Settings.Users);
        context.Extra["logins/s"] = users.Length / loginClock.Elapsed.TotalSeconds;
        context.Extra["login 429 answers"] = context.Api.RateLimited;
        var before = holdIdle ? await SettledResidentBytesAsync(context) : null;

        context.Phase = "connecting";
        context.Metrics.Start();
        var connections = new Client.ImConnection?[users.Length];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, users.Length, new ParallelOptions { MaxDegreeOfParallelism = context.Settings.Concurrency }, async (i, _) =>
            connections[i] = await context.ConnectAsync(users[i], i, (_, _, _) => { }));
        var seconds = clock.Elapsed.TotalSeconds;
        context.Extra["connects/s"] = connections.Count(c => c is not null) / seconds;
        context.Extra["connect storm seconds"] = seconds;

        if (holdIdle)
        {
            context.Phase = "holding idle sockets";
            var hold = Task.Delay(context.Settings.Duration);
            var after = await SettledResidentBytesAsync(context);
            await hold;
            var open = connections.Count(c => c is not null && c.IsOpen);
            context.Extra["sockets open at the end"] = open;
            if (before is not null && after is not null && open > 0)
            {
                context.Extra["server RSS before, MiB"] = before.Value / 1048576.0;
                context.Extra["server RSS with the sockets, MiB"] = after.Value / 1048576.0;
                context.Extra["server KiB per idle socket"] = (after.Value - before.Value) / 1024.0 / open;
            }
        }
        context.Phase = "closing";
        await ScenarioContext.CloseAllAsync(connections);
    }

    /// <summary>The lowest of five samples a second apart: a sample taken mid-collection is not the working size.</summary>
    private static async Task<long?> SettledResidentBytesAsync(ScenarioContext context)
    {
        if (context.Target.ResidentBytes is null) return null;
        long lowest = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(1000);
            lowest = Math.Min(lowest, context.Target.ResidentBytes ?? long.MaxValue);
        }
        return lowest;
    }
}
