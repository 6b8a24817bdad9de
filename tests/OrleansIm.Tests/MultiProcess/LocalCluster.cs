using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace OrleansIm.Tests.MultiProcess;

/// <summary>
/// Drives scripts/local-cluster.sh with a cluster directory and ports of its own (so it never meets a developer's
/// .local-cluster), and reads what the script wrote: the env file, pid files, and Orleans' membership table in the
/// cluster's Redis.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public const string AppId = "666666";

    /// <summary>Orleans' SiloStatus values as the Redis membership table stores them (a JSON number).</summary>
    public const int StatusActive = 3, StatusShuttingDown = 4, StatusStopping = 5, StatusDead = 6;

    private ConnectionMultiplexer? _redis;

    private readonly Action<string> _log;

    public LocalCluster(Action<string> log)
    {
        _log = log;
        RepoRoot = FindRepoRoot();
        Directory = Environment.GetEnvironmentVariable("ORLEANSIM_MP_DIR")
                    ?? Path.Combine(Path.GetTempPath(), "orleansim-mp-" + Guid.NewGuid().ToString("N")[..10]);
        PgPort = EnvInt("ORLEANSIM_MP_PG_PORT", 55441);
        RedisPort = EnvInt("ORLEANSIM_MP_REDIS_PORT", 56441);
        SiloBasePort = EnvInt("ORLEANSIM_MP_SILO_PORT", 11311);
        SiloGatewayBasePort = EnvInt("ORLEANSIM_MP_SILO_GATEWAY_PORT", 31311);
        GatewayBasePort = EnvInt("ORLEANSIM_MP_GATEWAY_PORT", 9788);
    }

    public string RepoRoot { get; }
    public string Directory { get; }
    public int PgPort { get; }
    public int RedisPort { get; }
    public int SiloBasePort { get; }
    public int SiloGatewayBasePort { get; }
    public int GatewayBasePort { get; }
    public string AppKey { get; private set; } = "";
    public string ClusterId { get; private set; } = "";
    public string ServiceId { get; private set; } = "";
    public string ConnectionString { get; private set; } = "";
    public string RedisConnectionString { get; private set; } = "";
    public IReadOnlyList<Uri> Gateways { get; private set; } = [];

    /// <summary>
    /// Extra silo arguments. None by default: the test runs the product's own failure-detection settings
    /// (Silo/appsettings.json: 2 s probes, 2 misses) — docs/operations.md says why they are what they are.
    /// </summary>
    public string SiloArgs { get; init; } = Environment.GetEnvironmentVariable("ORLEANSIM_MP_SILO_ARGS") ?? "";

    /// <summary>Extra gateway arguments. None by default: gateways' 5 s grain-call timeout is the product's (GatewayNode).</summary>
    public string GatewayArgs { get; init; } = Environment.GetEnvironmentVariable("ORLEANSIM_MP_GATEWAY_ARGS") ?? "";

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : fallback;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrleansIm.sln"))) return dir.FullName;
        throw new InvalidOperationException("OrleansIm.sln not found above " + AppContext.BaseDirectory);
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public async Task UpAsync(int silos, int gateways)
    {
        await RunScriptAsync(TimeSpan.FromSeconds(170), "up", silos.ToString(), gateways.ToString());
        var values = await ReadEnvAsync("ORLEANSIM_PG", "APP_KEY", "CLUSTER_ID", "GATEWAY_PORTS", "ORLEANSIM_REDIS", "SERVICE_ID");
        ConnectionString = values[0];
        AppKey = values[1];
        ClusterId = values[2];
        Gateways = values[3].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => new Uri($"http://127.0.0.1:{p}")).ToList();
        RedisConnectionString = values[4];
        ServiceId = values[5];
    }

    public Task AddSiloAsync() => RunScriptAsync(TimeSpan.FromSeconds(90), "add-silo");

    public Task RestartSilosAsync() => RunScriptAsync(TimeSpan.FromSeconds(150), "restart-silos");

    /// <summary>SIGTERM of gateway N (its graceful drain), wait for its exit, start it again and wait until it serves; a dead one is just started.</summary>
    public Task RestartGatewayAsync(int n) => RunScriptAsync(TimeSpan.FromSeconds(150), "restart-gateway", n.ToString());

    public Task DownAsync() => RunScriptAsync(TimeSpan.FromSeconds(120), "down");

    /// <summary>down, then delete the cluster directory and the PostgreSQL data directory (kept outside it).</summary>
    public Task PurgeAsync() => RunScriptAsync(TimeSpan.FromSeconds(120), "purge");

    public int SiloPid(int n) => int.Parse(File.ReadAllText(Path.Combine(Directory, $"silo-{n}.pid")).Trim());

    public int SiloPort(int n) => SiloBasePort + n - 1;

    /// <summary>kill -9 of silo N (the pid from its pid file).</summary>
    public void KillSilo(int n)
    {
        using var process = Process.GetProcessById(SiloPid(n));
        process.Kill(); // SIGKILL on Unix
    }

    public int GatewayPid(int n) => int.Parse(File.ReadAllText(Path.Combine(Directory, $"gateway-{n}.pid")).Trim());

    /// <summary>kill -9 of gateway N.</summary>
    public void KillGateway(int n)
    {
        using var process = Process.GetProcessById(GatewayPid(n));
        process.Kill(); // SIGKILL on Unix
    }

    /// <summary>
    /// Orleans' status (<see cref="StatusActive"/>, <see cref="StatusDead"/>, …) of silo N's newest incarnation: the
    /// membership table of Microsoft.Orleans.Clustering.Redis is the hash "{ServiceId}/members/{ClusterId}", one field
    /// per incarnation named "S127.0.0.1:{port}:{generation}" holding the MembershipEntry as JSON.
    /// </summary>
    public async Task<int?> SiloStatusAsync(int n)
    {
        _redis ??= await ConnectionMultiplexer.ConnectAsync(RedisConnectionString);
        var entries = await _redis.GetDatabase().HashGetAllAsync($"{ServiceId}/members/{ClusterId}");
        var prefix = $"S127.0.0.1:{SiloPort(n)}:";
        var newest = entries
            .Where(e => e.Name.ToString().StartsWith(prefix, StringComparison.Ordinal))
            .MaxBy(e => long.Parse(e.Name.ToString()[prefix.Length..]));
        if (newest.Value.IsNullOrEmpty) return null;
        using var entry = JsonDocument.Parse(newest.Value.ToString());
        return entry.RootElement.GetProperty("Status").GetInt32();
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
        _redis = null;
    }

    private async Task<string[]> ReadEnvAsync(params string[] names)
    {
        var script = "source \"$1\"; printf '%s\\0' " + string.Join(' ', names.Select(n => $"\"${n}\""));
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", script, "_", Path.Combine(Directory, "env") }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var values = output.Split('\0');
        if (process.ExitCode != 0 || values.Length < names.Length) throw new InvalidOperationException("Could not read the cluster's env file.");
        return values[..names.Length];
    }

    private async Task RunScriptAsync(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        psi.ArgumentList.Add(Path.Combine(RepoRoot, "scripts", "local-cluster.sh"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LOCAL_CLUSTER_DIR"] = Directory;
        psi.Environment["LOCAL_CLUSTER_PG_PORT"] = PgPort.ToString();
        psi.Environment["LOCAL_CLUSTER_REDIS_PORT"] = RedisPort.ToString();
        psi.Environment["LOCAL_CLUSTER_SILO_PORT"] = SiloBasePort.ToString();
        psi.Environment["LOCAL_CLUSTER_SILO_GATEWAY_PORT"] = SiloGatewayBasePort.ToString();
        psi.Environment["LOCAL_CLUSTER_GATEWAY_PORT"] = GatewayBasePort.ToString();
        psi.Environment["LOCAL_CLUSTER_CONFIG"] = Configuration;
        psi.Environment["LOCAL_CLUSTER_SILO_ARGS"] = SiloArgs;
        psi.Environment["LOCAL_CLUSTER_GATEWAY_ARGS"] = GatewayArgs;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        var started = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            throw new TimeoutException($"local-cluster.sh {string.Join(' ', args)} did not finish in {timeout}: {output}");
        }
        process.WaitForExit(); // flushes the redirected streams
        string text;
        lock (output) text = output.ToString();
        _log($"$ local-cluster.sh {string.Join(' ', args)}  ({started.Elapsed.TotalSeconds:F1} s)\n{text.TrimEnd()}");
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"local-cluster.sh {string.Join(' ', args)} exited with {process.ExitCode}:\n{text}");
    }

    // ---- HTTP helpers (seed 000 login, seed 003 REST) ----

    public async Task<JsonElement> PostAsync(HttpClient http, string path, object body, bool loginApi = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (loginApi) request.Headers.Add("X-App-Key", AppKey);
        else
        {
            request.Headers.Add("app-id", AppId);
            request.Headers.Add("app-key", AppKey);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} → {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("app-id", AppId);
        request.Headers.Add("app-key", AppKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} → {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
