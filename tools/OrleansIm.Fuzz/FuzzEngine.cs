using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansIm.Fuzz;

/// <summary>
/// Sets up users and conversations on a node, then runs inputs 0 .. Count-1 (or one replayed input) on
/// <see cref="FuzzSettings.Lanes"/> lanes and returns what it saw. The node's logs, process and memory are the
/// caller's to check (the console runs a child process; the tests capture the in-process node's logs).
/// </summary>
public sealed class FuzzEngine : IAsyncDisposable
{
    private readonly Uri _baseUri;
    private readonly FuzzSettings _settings;
    private readonly HttpClient _http;
    private readonly List<Lane> _lanes = [];
    private FuzzContext? _context;

    public FuzzEngine(Uri baseUri, FuzzSettings settings)
    {
        _baseUri = baseUri;
        _settings = settings;
        _http = new HttpClient { BaseAddress = baseUri, Timeout = settings.ReplyTimeout };
    }

    public FuzzContext Context => _context ?? throw new InvalidOperationException("Call PrepareAsync first.");

    /// <summary>A ws:// (or wss://) address on the node for a socket path and raw query.</summary>
    public static Uri SocketUri(Uri baseUri, string path, string query = "") =>
        new($"{(baseUri.Scheme == "https" ? "wss" : "ws")}://{baseUri.Authority}{path}{(query.Length > 0 ? "?" + query : "")}");

    /// <summary>Logs in the lane users (two per lane: /ws and STOMP) and the victims, and creates the two conversations.</summary>
    public async Task PrepareAsync()
    {
        var prefix = $"fz{(uint)_settings.Seed % 1_000_000}";
        var lanes = _settings.Replay is null ? Math.Max(1, _settings.Lanes) : 1;
        var tokens = new Dictionary<string, string>();
        var socketUsers = Enumerable.Range(0, lanes).SelectMany(l => new[] { $"{prefix}-w{l}", $"{prefix}-s{l}" }).ToList();
        var victims = Enumerable.Range(0, 3).Select(v => $"{prefix}-v{v}").ToList();
        foreach (var user in socketUsers.Concat(victims)) tokens[user] = await LoginAsync(user);
        foreach (var victim in victims)
            await SendAsync(HttpMethod.Put, "/openapi/v1/user/status", new JsonObject { ["id"] = victim, ["userStatus"] = 1 }, ("X-App-Key", _settings.AppKey));

        _context = new FuzzContext
        {
            AppId = _settings.AppId,
            AppKey = _settings.AppKey,
            UserIds = socketUsers,
            VictimUserIds = victims,
            ConversationId = await CreateGroupAsync(socketUsers),
            VictimConversationId = await CreateGroupAsync(victims),
            VictimToken = tokens[victims[0]],
        };
        for (var l = 0; l < lanes; l++) _lanes.Add(new Lane(tokens[$"{prefix}-w{l}"], tokens[$"{prefix}-s{l}"]));
    }

    /// <summary>Runs every input (or the replayed one) and returns the report.</summary>
    public async Task<FuzzReport> RunAsync(Action<string>? progress = null)
    {
        var report = new FuzzReport(_settings.Seed);
        var generator = new InputGenerator(Context, _settings.Seed);
        if (_settings.Replay is { } replay)
        {
            var input = generator.Generate(replay);
            report.Trace = progress;
            progress?.Invoke($"input {replay}: {input.Surface} — {input.Label}\n  {input.Preview}");
            await RunOneAsync(_lanes[0], input, report);
        }
        else
        {
            var done = 0;
            await Task.WhenAll(_lanes.Select((lane, l) => Task.Run(async () =>
            {
                for (var i = l; i < _settings.Count; i += _lanes.Count)
                {
                    await RunOneAsync(lane, generator.Generate(i), report);
                    var n = Interlocked.Increment(ref done);
                    if (_settings.ProgressEvery > 0 && n % _settings.ProgressEvery == 0)
                        progress?.Invoke($"{n} inputs, {report.Elapsed.TotalSeconds:F0} s, {report.Failures.Count} failures");
                }
            })));
        }
        foreach (var lane in _lanes) await lane.CloseAsync();
        report.Stop();
        return report;
    }

    private async Task RunOneAsync(Lane lane, FuzzInput input, FuzzReport report)
    {
        report.Counted(input);
        lane.Ws ??= new WsFrameRunner(_baseUri, lane.WsToken, "im_web", report, _settings.ReplyTimeout);
        lane.Stomp ??= new StompRunner(_baseUri, lane.StompToken, "im_pc_win", report, _settings.ReplyTimeout);
        switch (input)
        {
            case WsFrameInput ws:
                await lane.Ws.RunAsync(ws);
                break;
            case StompInput stomp:
                await lane.Stomp.RunAsync(stomp);
                break;
            case HttpInput http:
                await new HttpRunner(_http, report).RunAsync(http);
                break;
            case HandshakeInput handshake:
                await new HandshakeRunner(_baseUri, report, _settings.ReplyTimeout).RunAsync(handshake);
                break;
        }
    }

    private async Task<string> LoginAsync(string user)
    {
        var body = await SendAsync(HttpMethod.Post, "/openapi/v1/user/login", new JsonObject { ["id"] = user, ["nickname"] = user }, ("X-App-Key", _settings.AppKey));
        return body.GetProperty("data").GetProperty("token").GetString()!;
    }

    private async Task<string> CreateGroupAsync(IReadOnlyList<string> members)
    {
        var body = await SendAsync(HttpMethod.Post, "/im/conversations",
            new JsonObject { ["client_id"] = members[0], ["to_client_ids"] = new JsonArray(members.Skip(1).Select(m => (JsonNode)m!).ToArray()), ["conv_type"] = 3 },
            ("app-id", _settings.AppId), ("app-key", _settings.AppKey));
        return body.GetProperty("data").GetProperty("conv_id").GetString()!;
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonNode body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Setup request {method} {path} failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes) await lane.CloseAsync();
        _http.Dispose();
    }

    /// <summary>One lane's users and sockets; its inputs run one after the other.</summary>
    private sealed class Lane(string wsToken, string stompToken)
    {
        public string WsToken { get; } = wsToken;

        public string StompToken { get; } = stompToken;

        public WsFrameRunner? Ws { get; set; }

        public StompRunner? Stomp { get; set; }

        public async Task CloseAsync()
        {
            if (Ws is not null) await Ws.DisposeAsync();
            if (Stomp is not null) await Stomp.DisposeAsync();
            Ws = null;
            Stomp = null;
        }
    }
}
