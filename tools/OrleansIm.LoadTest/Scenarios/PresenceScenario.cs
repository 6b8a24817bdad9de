using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using OrleansIm.LoadTest.Client;

namespace OrleansIm.LoadTest.Scenarios;

/// <summary>
/// Presence churn: half the users (watchers, online throughout) subscribe to the other half (at most 1000, the
/// per-connection limit), who connect, stay 0.2–1 s, disconnect and wait 0.1–0.5 s, in a loop. Measured: the time from a
/// churner's handshake to a watcher's <c>ONLINE</c> push (signal latency), pushes/s, and at the end every watcher's
/// last pushed status of every churner must be OFFLINE, as <c>presence.query</c> also says (a stale view is an error).
/// </summary>
public sealed class PresenceScenario : IScenario
{
    private const int MaxSubscriptions = 1000;
    private const int IdsPerFrame = 200;

    public async Task RunAsync(ScenarioContext context)
    {
        var users = await context.LoginUsersAsync("p", context.Settings.Users);
        var watchers = users.Take(users.Length / 2).ToArray();
        var churners = users.Skip(watchers.Length).Take(MaxSubscriptions).ToArray();
        var onlineSince = new ConcurrentDictionary<string, long>();
        var views = watchers.ToDictionary(w => w.Id, _ => new ConcurrentDictionary<string, string>());
        long pushes = 0;

        var watcherConnections = await context.ConnectAllAsync(watchers, w => (_, type, data) =>
        {
            if (type != "presence") return;
            Interlocked.Increment(ref pushes);
            var user = data.GetProperty("userId").GetString()!;
            var status = data.GetProperty("status").GetString()!;
            views[w.Id][user] = status;
            if (status == "ONLINE" && onlineSince.TryGetValue(user, out var since))
                context.Metrics.CountEvent(Stopwatch.GetElapsedTime(since).TotalMilliseconds);
        });
        foreach (var connection in watcherConnections)
        {
            foreach (var chunk in churners.Chunk(IdsPerFrame))
            {
                var reply = await connection.RequestAsync("presence.subscribe", new { user_ids = chunk.Select(c => c.Id).ToArray() });
                if (!reply.Ok) throw new InvalidOperationException($"presence.subscribe: {reply}");
            }
        }

        context.Phase = "churning";
        context.Metrics.Start();
        using var stop = new CancellationTokenSource(context.Settings.Duration);
        await Task.WhenAll(churners.Select((churner, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            try { await Task.Delay(context.Settings.RampUp * i / churners.Length, stop.Token); } catch (OperationCanceledException) { return; }
            while (!stop.IsCancellationRequested)
            {
                var connection = await context.ConnectAsync(churner, i, (_, _, _) => { });
                if (connection is null) continue;
                onlineSince[churner.Id] = Stopwatch.GetTimestamp();
                await Task.Delay(random.Next(200, 1000));
                onlineSince.TryRemove(churner.Id, out _);
                await connection.DisposeAsync();
                await Task.Delay(random.Next(100, 500));
            }
        })));

        context.Phase = "checking presence";
        var settled = Stopwatch.StartNew();
        int Stale() => views.Sum(v => churners.Count(c => v.Value.GetValueOrDefault(c.Id, "OFFLINE") != "OFFLINE"));
        while (Stale() > 0 && settled.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
        var stale = Stale();
        // A watcher the server closed (e.g. 1008) keeps a stale view; ScenarioContext has counted it ("socket lost: …").
        if (stale > 0) context.Error($"presence: {stale} watcher views still ONLINE 10 s after every churner left");
        foreach (var chunk in churners.Chunk(IdsPerFrame))
        {
            var reply = await (watcherConnections.FirstOrDefault(c => c.IsOpen) ?? watcherConnections[0]).RequestAsync("presence.query", new { user_ids = chunk.Select(c => c.Id).ToArray() });
            var online = reply.Ok ? reply.Data.GetProperty("users").EnumerateArray().Count(u => u.GetProperty("status").GetString() != "OFFLINE") : -1;
            if (online != 0) context.Error(reply.Ok ? $"presence.query: {online} churners still ONLINE after they left" : $"presence.query: {reply}");
        }
        context.Extra["presence pushes"] = pushes;
        context.Extra["presence pushes/s"] = pushes / Math.Max(context.Settings.DurationSeconds, 0.001);
        context.Extra["stale watcher views"] = stale;
        await ScenarioContext.CloseAllAsync(watcherConnections);
    }
}
