using System.Diagnostics;

namespace OrleansIm.LoadTest.Scenarios;

/// <summary>
/// Login/connect storm: logs in <see cref="LoadTestSettings.Users"/> users (login/s is reported), then opens all their
/// sockets as fast as <see cref="LoadTestSettings.Concurrency"/> handshakes at once allow: connects/s, handshake
/// latency and failures. As <c>idle-sockets</c> it then holds the sockets idle for the duration and, when the tool
/// started the node, reports the node's resident memory per socket (after minus before, both the lowest of a few
/// samples once the node settled) twice: just after the storm, and at the end of the hold. The second is the idle
/// node's steady state: sockets re-register every refresh interval (60 s by default), which allocates, and the
/// garbage collector's budgets grow with the heap, so hold for more than two intervals (150 s) for that figure.
/// While held, each socket sends <c>ping</c> every <see cref="PingInterval"/>, as an idle app does (docs/protocol.md
/// § Heartbeats: the server closes a socket silent for 90 s), spread evenly over the interval.
/// </summary>
public sealed class ConnectStormScenario(bool holdIdle) : IScenario
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(30);

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
            using var holding = new CancellationTokenSource();
            var pings = PingAsync(connections, holding.Token);
            var hold = Task.Delay(context.Settings.Duration);
            var after = await SettledResidentBytesAsync(context);
            await hold;
            var settled = await SettledResidentBytesAsync(context);
            await holding.CancelAsync();
            await pings;
            var open = connections.Count(c => c is not null && c.IsOpen);
            context.Extra["sockets open at the end"] = open;
            if (before is not null && after is not null && open > 0)
            {
                context.Extra["server RSS before, MiB"] = before.Value / 1048576.0;
                context.Extra["server RSS with the sockets, MiB"] = after.Value / 1048576.0;
                context.Extra["server KiB per idle socket"] = (after.Value - before.Value) / 1024.0 / open;
                if (settled is not null)
                {
                    context.Extra["server RSS at the end of the hold, MiB"] = settled.Value / 1048576.0;
                    context.Extra["server KiB per idle socket at the end of the hold"] = (settled.Value - before.Value) / 1024.0 / open;
                }
            }
        }
        context.Phase = "closing";
        await ScenarioContext.CloseAllAsync(connections);
    }

    /// <summary>Pings a thirtieth of the sockets every second, so each once per <see cref="PingInterval"/>.</summary>
    private static async Task PingAsync(Client.ImConnection?[] connections, CancellationToken stop)
    {
        var slices = (int)PingInterval.TotalSeconds;
        for (var tick = 0; !stop.IsCancellationRequested; tick++)
        {
            for (var i = tick % slices; i < connections.Length; i += slices)
            {
                if (connections[i] is { IsOpen: true } connection) _ = PingOneAsync(connection);
            }
            try
            {
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task PingOneAsync(Client.ImConnection connection)
    {
        try
        {
            await connection.RequestAsync("ping", null);
        }
        catch (Exception e) when (e is Client.ConnectionLostException or TimeoutException)
        {
            // Counted at the end: "sockets open at the end".
        }
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
