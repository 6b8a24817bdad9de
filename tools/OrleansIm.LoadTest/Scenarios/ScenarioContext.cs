using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using OrleansIm.LoadTest.Checking;
using OrleansIm.LoadTest.Client;
using OrleansIm.LoadTest.Metrics;

namespace OrleansIm.LoadTest.Scenarios;

/// <summary>What a scenario works with: the settings, the gateways, the API, and where it records figures and acks.</summary>
public sealed class ScenarioContext(LoadTestSettings settings, ServerTarget target, RunMetrics metrics) : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _errors = new();

    public LoadTestSettings Settings { get; } = settings;

    public ServerTarget Target { get; } = target;

    public string[] Gateways => Target.Gateways;

    public RunMetrics Metrics { get; } = metrics;

    public DeliveryLedger Ledger { get; } = new();

    public ImHttpApi Api { get; } = new(target.Gateways, settings.AppId, settings.AppKey);

    /// <summary>A prefix that makes this run's user ids unique on a server that keeps earlier runs' users.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..6];

    /// <summary>What the run is doing now (for the progress display).</summary>
    public volatile string Phase = "setup";

    /// <summary>Figures only some scenarios have (e.g. reconnects/s, memory per socket), for the summary and the reports.</summary>
    public ConcurrentDictionary<string, double> Extra { get; } = new();

    /// <summary>The distinct error messages seen, with how often.</summary>
    public IReadOnlyDictionary<string, long> ErrorKinds => _errors;

    public string Gateway(int index) => Gateways[index % Gateways.Length];

    /// <summary>Counts an error and keeps its kind (the first 50 kinds).</summary>
    public void Error(string what)
    {
        Metrics.CountError();
        if (_errors.Count < 50 || _errors.ContainsKey(what)) _errors.AddOrUpdate(what, 1, (_, n) => n + 1);
    }

    /// <summary>Logs in <paramref name="count"/> users named <c>{prefix}{RunId}-{i}</c>, <see cref="LoadTestSettings.Concurrency"/> at a time.</summary>
    public async Task<ImUser[]> LoginUsersAsync(string prefix, int count)
    {
        var users = new ImUser[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Settings.Concurrency }, async (i, _) =>
        {
            var id = $"{prefix}{RunId}-{i}";
            users[i] = new ImUser(id, await Api.LoginAsync(id, i), i);
        });
        return users;
    }

    /// <summary>Opens a socket for <paramref name="user"/> on gateway <paramref name="gateway"/>; counts its handshake
    /// time and failures when <paramref name="measure"/>. Returns null when it failed.</summary>
    public async Task<ImConnection?> ConnectAsync(ImUser user, int gateway, ImConnection.PushHandler onPush, bool measure = true, string deviceType = "im_web")
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var connection = await ImConnection.ConnectAsync(Gateway(gateway), user, onPush, deviceType);
            if (measure) Metrics.CountConnect(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _ = CountIfLostAsync(connection);
            return connection;
        }
        catch (WebSocketException e)
        {
            if (measure) Interlocked.Increment(ref Metrics.ConnectFailures);
            Error($"connect: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Counts a socket the server or the network ended as an error ("socket lost: close 1008 not reading"): its pushes
    /// after that are missing from "delivered", and a run that lost sockets must not read as a clean one.
    /// </summary>
    private async Task CountIfLostAsync(ImConnection connection)
    {
        await connection.Closed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!connection.ClosedByClient) Error($"socket lost: {connection.CloseDescription}");
    }

    /// <summary>Connects every user (<see cref="LoadTestSettings.Concurrency"/> at a time), user i on gateway i (modulo); throws if one fails.</summary>
    public async Task<ImConnection[]> ConnectAllAsync(IReadOnlyList<ImUser> users, Func<ImUser, ImConnection.PushHandler> onPush, int gatewayOffset = 0)
    {
        var connections = new ImConnection?[users.Count];
        await Parallel.ForAsync(0, users.Count, new ParallelOptions { MaxDegreeOfParallelism = Settings.Concurrency }, async (i, _) =>
            connections[i] = await ConnectAsync(users[i], i + gatewayOffset, onPush(users[i]), measure: false));
        if (connections.Any(c => c is null))
            throw new InvalidOperationException($"{connections.Count(c => c is null)} of {users.Count} sockets could not connect: {string.Join("; ", ErrorKinds.Keys.Take(3))}");
        return connections!;
    }

    public static async Task CloseAllAsync(IEnumerable<ImConnection?> connections) =>
        await Task.WhenAll(connections.Where(c => c is not null).Select(c => c!.DisposeAsync().AsTask()));

    public void Dispose() => Api.Dispose();
}
