using OrleansIm.ToolsShared;

namespace OrleansIm.LoadTest;

/// <summary>What a run drives: running gateways given by URL, a standalone node the tool started, or the floor.</summary>
public sealed class ServerTarget : IAsyncDisposable
{
    private readonly NodeProcess? _node;

    private ServerTarget(string description, string[] gateways, NodeProcess? node, bool isFloor)
    {
        Description = description;
        Gateways = gateways;
        _node = node;
        IsFloor = isFloor;
    }

    public string Description { get; }

    public string[] Gateways { get; }

    public bool IsFloor { get; }

    /// <summary>The node's (or the floor's) resident memory, when the tool started it (read from /proc).</summary>
    public long? ResidentBytes => _node?.ResidentBytes;

    /// <summary>The node's CPU time so far, when the tool started it.</summary>
    public TimeSpan? CpuTime => _node?.CpuTime;

    public static async Task<ServerTarget> StartAsync(LoadTestSettings settings)
    {
        if (settings.Urls.Length > 0)
            return new ServerTarget($"{settings.Urls.Length} gateway(s): {string.Join(", ", settings.Urls)}", settings.Urls, null, false);
        var node = await NodeProcess.StartAsync(settings.SiloDll, arguments: settings.NodeArguments);
        return new ServerTarget($"a standalone node started by the tool ({node.BaseUrl}, SQLite)", [node.BaseUrl], node, false);
    }

    /// <summary>The floor (<see cref="FloorServer"/>) in a process of its own, as the node runs in one: this tool's
    /// <c>floor --port N</c> command.</summary>
    public static async Task<ServerTarget> StartFloorAsync()
    {
        var floor = await NodeProcess.StartDllAsync(typeof(ServerTarget).Assembly.Location, port => ["floor", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return new ServerTarget($"the floor: a bare Kestrel WebSocket relay, no auth, storage or actors ({floor.BaseUrl})", [floor.BaseUrl], floor, true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
    }
}
