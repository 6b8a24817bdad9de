using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace OrleansIm.Tests.MultiProcess;

/// <summary>
/// Drives scripts/local-cluster.sh with a cluster directory and ports of its own (so it never meets a developer's
/// .local-cluster), and reads what the script wrote: the env file, pid files, the membership table.
/// </summary>
public sealed class LocalCluster
{
    public const string AppId = "666666";

    private readonly Action<string> _log;

    public LocalCluster(Action<string> log)
    {
        _log = log;
        RepoRoot = FindRepoRoot();
        Directory = Environment.GetEnvironmentVariable("ORLEANSIM_MP_DIR")
                    ?? Path.Combine(Path.GetTempPath(), "orleansim-mp-" + Guid.NewGuid().ToString("N")[..10]);
        PgPort = EnvInt("ORLEANSIM_MP_PG_PORT", 55441);
        SiloBasePort = EnvInt("ORLEANSIM_MP_SILO_PORT", 11311);
        GatewayBasePort = EnvInt("ORLEANSIM_MP_GATEWAY_PORT", 9788);
    }

    public string RepoRoot { get; }
    public string Directory { get; }
    public int PgPort { get; }
    public int SiloBasePort { get; }
    public int GatewayBasePort { get; }
    public string AppKey { get; private set; } = "";
    public string ClusterId { get; private set; } = "";
    public string ConnectionString { get; private set; } = "";
    public IReadOnlyList<Uri> Gateways { get; private set; } = [];

    /// <summary>
    /// Default failure detection (1 s probes, 3 misses), a faster table refresh. Faster probes (0.5 s timeout) made
    /// freshly started silos miss probes under this test's load on 2 cores and get declared dead (see the report).
    /// </summary>
    public string SiloArgs { get; init; } = Environment.GetEnvironmentVariable("ORLEANSIM_MP_SILO_ARGS") ??
        "--Membership:TableRefreshPeriod=00:00:01";

    public string GatewayArgs { get; init; } = Environment.GetEnvironmentVariable("ORLEANSIM_MP_GATEWAY_ARGS") ?? "--Membership:TableRefreshPeriod=00:00:01";

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
        var values = await ReadEnvAsync("ORLEANSIM_PG", "APP_KEY", "CLUSTER_ID", "GATEWAY_PORTS");
        ConnectionString = values[0];
        AppKey = values[1];
        ClusterId = values[2];
        Gateways = values[3].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => new Uri($"http://127.0.0.1:{p}")).ToList();
    }

    public Task AddSiloAsync() => RunScriptAsync(TimeSpan.FromSeconds(90), "add-silo");

    public Task RestartSilosAsync() => RunScriptAsync(TimeSpan.FromSeconds(150), "restart-silos");

    public Task DownAsync() => RunScriptAsync(TimeSpan.FromSeconds(120), "down");

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

    /// <summary>Status of the newest membership row of silo N's port (2 Active, 3 ShuttingDown, 4 Dead).</summary>
    public async Task<int?> SiloStatusAsync(int n)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT status FROM orleansim_membership WHERE cluster_id = @c AND address LIKE @a ORDER BY start_time DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("c", ClusterId);
        command.Parameters.AddWithValue("a", $"127.0.0.1:{SiloPort(n)}@%");
        return await command.ExecuteScalarAsync() is int status ? status : null;
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
        psi.Environment["LOCAL_CLUSTER_SILO_PORT"] = SiloBasePort.ToString();
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
