using System.Diagnostics;
using System.Net.Sockets;

namespace OrleansIm.Benchmarks;

/// <summary>A standalone node started as a child process on a free loopback port with a throwaway data directory.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private NodeProcess(Process process, string dataDirectory, int port)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    /// <summary>CPU time the node process has used so far (user + system, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <param name="siloDll">The node to run (e.g. another build's OrleansIm.Silo.dll, to compare builds with the
    /// same client); null runs this repository's Silo build of the same configuration.</param>
    public static async Task<NodeProcess> StartAsync(string? siloDll = null)
    {
        siloDll = siloDll is null ? FindSiloDll() : File.Exists(siloDll) ? Path.GetFullPath(siloDll) : throw new FileNotFoundException($"{siloDll} is missing.");
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), $"orleansim-bench-{Guid.NewGuid():N}");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { siloDll, "--Gateway:Host=127.0.0.1", $"--Gateway:Port={port}", $"--Storage:DataDirectory={data}", "--Logging:LogLevel:Default=Warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the node.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[node] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The node exited with code {process.ExitCode}.");
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
        return new NodeProcess(process, data, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string FindSiloDll()
    {
        // tools/OrleansIm.Benchmarks/bin/<Configuration>/net10.0/ → Silo/bin/<Configuration>/net10.0/OrleansIm.Silo.dll
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDir.Parent!.Name;
        var root = baseDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OrleansIm.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Run the benchmark from the repository (OrleansIm.sln not found above it).");
        var dll = Path.Combine(root.FullName, "Silo", "bin", configuration, baseDir.Name, "OrleansIm.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the Silo first ({dll} is missing).");
    }

    /// <summary>A loopback port nothing listens on now (the OS picks it).</summary>
    internal static int FreePort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
