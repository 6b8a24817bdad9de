using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace OrleansIm.Fuzz;

/// <summary>
/// A standalone node started as a child process on a free loopback port with a throwaway data directory; its
/// stdout and stderr go to a <see cref="NodeLogScanner"/>, and its resident memory is read from /proc.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private NodeProcess(Process process, string dataDirectory, int port, NodeLogScanner logs)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Logs = logs;
        BaseUri = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseUri { get; }

    public NodeLogScanner Logs { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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

    public static async Task<NodeProcess> StartAsync()
    {
        var siloDll = FindSiloDll();
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), $"orleansim-fuzz-{Guid.NewGuid():N}");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { siloDll, "--Gateway:Host=127.0.0.1", $"--Gateway:Port={port}", $"--Storage:DataDirectory={data}", "--Logging:LogLevel:Default=Warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        var logs = new NodeLogScanner(Path.Combine(Path.GetTempPath(), $"orleansim-fuzz-node-{port}.log"));
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the node.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) logs.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) logs.Add(e.Data); };
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
        return new NodeProcess(process, data, port, logs);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Logs.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string FindSiloDll()
    {
        // tools/OrleansIm.Fuzz/bin/<Configuration>/net10.0/ → Silo/bin/<Configuration>/net10.0/OrleansIm.Silo.dll
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDir.Parent!.Name;
        var root = baseDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OrleansIm.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Run the fuzzer from the repository (OrleansIm.sln not found above it), or give --url.");
        var dll = Path.Combine(root.FullName, "Silo", "bin", configuration, baseDir.Name, "OrleansIm.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the Silo first ({dll} is missing).");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
