using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Auth;
using OrleansIm.Silo;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>A real standalone node on 127.0.0.1:0 with its own temp data directory, plus HTTP/WebSocket helpers.</summary>
public sealed class TestNode : IAsyncDisposable
{
    public const string AppId = "666666";
    public const string AppKey = GatewaySecrets.SeedExampleAppKey;

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private WebApplication? _app;

    private TestNode(string dataDirectory, Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        _services = services;
        DataDirectory = dataDirectory;
        _settings = settings;
    }

    public string DataDirectory { get; }

    public Uri BaseUri { get; private set; } = null!;

    public Uri WsUri => new UriBuilder(BaseUri) { Scheme = "ws", Path = "/ws" }.Uri;

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public static async Task<TestNode> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleansim-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        var all = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = directory,
            ["Gateway:Host"] = "127.0.0.1",
            ["Gateway:Port"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var node = new TestNode(directory, all, services);
        await node.StartAppAsync();
        return node;
    }

    /// <summary>Stops the node and starts a fresh process-equivalent on the same data directory.</summary>
    public async Task RestartAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    private async Task StartAppAsync()
    {
        _app = StandaloneNode.Build([], config => config.AddInMemoryCollection(_settings), _services);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.Replace("0.0.0.0", "127.0.0.1"));
        Http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    private async Task StopAppAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Seed 000 login; returns the "Bearer …" token.</summary>
    public async Task<string> LoginAsync(string userId, string? nickname = null)
    {
        var (status, body) = await PostLoginAsync(new { id = userId, nickname = nickname ?? userId, device = "im_web" });
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"Login of {userId} failed: {status} {body}");
        return body.GetProperty("data").GetProperty("token").GetString()!;
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> PostLoginAsync(object body, string? appKey = AppKey) =>
        SendAsync(HttpMethod.Post, "/openapi/v1/user/login", JsonSerializer.Serialize(body),
            appKey is null ? [] : [("X-App-Key", appKey)]);

    /// <summary>A seed 003 call with app-id/app-key (unless overridden); the body is raw JSON text.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> ApiAsync(HttpMethod method, string path, string? json = null,
        string? appId = AppId, string? appKey = AppKey, params (string Name, string Value)[] headers)
    {
        var all = new List<(string, string)>(headers);
        if (appId is not null) all.Add(("app-id", appId));
        if (appKey is not null) all.Add(("app-key", appKey));
        return SendAsync(method, path, json, all);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json,
        IEnumerable<(string Name, string Value)> headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body);
    }

    public async Task<ImSocket> ConnectAsync(string token, string deviceType = "im_web", bool viaQuery = false)
    {
        var socket = new ClientWebSocket();
        var uri = WsUri;
        if (viaQuery)
        {
            uri = new UriBuilder(WsUri) { Query = $"token={Uri.EscapeDataString(token)}&deviceType={Uri.EscapeDataString(deviceType)}" }.Uri;
        }
        else
        {
            socket.Options.SetRequestHeader("token", token);
            socket.Options.SetRequestHeader("deviceType", deviceType);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(uri, timeout.Token);
        return new ImSocket(socket);
    }

    /// <summary>Attempts a handshake that should be refused; returns the HTTP status of the refusal.</summary>
    public async Task<HttpStatusCode> FailedHandshakeStatusAsync(string? token, string? deviceType, bool viaQuery = false)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = WsUri;
        if (viaQuery)
        {
            uri = new UriBuilder(WsUri) { Query = $"token={Uri.EscapeDataString(token ?? "")}&deviceType={Uri.EscapeDataString(deviceType ?? "")}" }.Uri;
        }
        else
        {
            if (token is not null) socket.Options.SetRequestHeader("token", token);
            if (deviceType is not null) socket.Options.SetRequestHeader("deviceType", deviceType);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, timeout.Token));
        return socket.HttpStatusCode;
    }
}
