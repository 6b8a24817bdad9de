using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace OrleansIm.ToolsShared;

/// <summary>
/// A standalone node started as a child process on a free loopback port with a throwaway data directory; the
/// benchmark, the fuzzer and the load-test tool start their nodes with it (and the load-test tool its floor process). Its CPU time and resident memory are
/// read while it runs.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string? _dataDirectory;

    private NodeProcess(Process process, string? dataDirectory, int port)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseUri = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseUri { get; }

    /// <summary><see cref="BaseUri"/> without the trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => BaseUri.GetLeftPart(UriPartial.Authority);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>CPU time the node process has used so far (user + system, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Resident set size in bytes (VmRSS), or null where /proc is not available.</summary>
    public long? ResidentBytes
    {
        get
        {
            try
            {
                var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <param name="siloDll">The node to run (e.g. another build's OrleansIm.Silo.dll, to compare builds with the
    /// same client); null runs this repository's Silo build of the same configuration as the calling tool.</param>
    /// <param name="outputLine">Receives every line the node writes (stdout and stderr); null prints its stderr
    /// lines with a <c>[node]</c> prefix and drops its stdout.</param>
    /// <param name="arguments">More configuration arguments for the node, e.g. <c>--Gateway:RateLimits:SendsPerUser:TokenLimit=0</c>.</param>
    public static Task<NodeProcess> StartAsync(string? siloDll = null, Action<string>? outputLine = null, IEnumerable<string>? arguments = null)
    {
        siloDll = siloDll is null ? FindSiloDll() : File.Exists(siloDll) ? Path.GetFullPath(siloDll) : throw new FileNotFoundException($"{siloDll} is missing.");
        var data = Path.Combine(Path.GetTempPath(), $"orleansim-node-{Guid.NewGuid():N}");
        return StartDllAsync(siloDll, port => new[] { "--Gateway:Host=127.0.0.1", $"--Gateway:Port={port}", $"--Storage:DataDirectory={data}",
            "--Logging:LogLevel:Default=Warning" }.Concat(arguments ?? []), outputLine, data);
    }

    /// <summary>Starts another server of ours (e.g. the load-test tool's <c>floor</c> command) the same way: <c>dotnet
    /// <paramref name="dll"/></c> with the arguments for a free loopback port, ready once the port accepts.</summary>
    /// <param name="dataDirectory">Deleted when the process is disposed, if given.</param>
    public static async Task<NodeProcess> StartDllAsync(string dll, Func<int, IEnumerable<string>> arguments, Action<string>? outputLine = null,
        string? dataDirectory = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments(port)) info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Path.GetFileName(dll)}.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) outputLine?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (outputLine is null) Console.Error.WriteLine($"[node] {e.Data}");
            else outputLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{Path.GetFileName(dll)} exited with code {process.ExitCode}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        return new NodeProcess(process, dataDirectory, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_dataDirectory is null) return;
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string FindSiloDll()
    {
        // tools/<tool>/bin/<Configuration>/net10.0/ → Silo/bin/<Configuration>/net10.0/OrleansIm.Silo.dll
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDir.Parent!.Name;
        var root = baseDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OrleansIm.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Run the tool from the repository (OrleansIm.sln not found above it), or give it the URL of a running node.");
        var dll = Path.Combine(root.FullName, "Silo", "bin", configuration, baseDir.Name, "OrleansIm.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the Silo first ({dll} is missing).");
    }

    /// <summary>A loopback port nothing listens on now (the OS picks it).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
