using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansIm.Tests.Auth;

/// <summary>
/// An app server for callback logins (authType 2) on 127.0.0.1, answering by the client's token: "allow…" admits
/// ({"code":200}), "refuse…" refuses ({"code":403}), "http403" answers HTTP 403, "hang" never answers, "boom" answers
/// 500. It checks each request's signature as docs/security.md tells an app server to, and refuses a bad one.
/// </summary>
public sealed class FakeAppServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _secret;

    private FakeAppServer(WebApplication app, string secret)
    {
        _app = app;
        _secret = secret;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request's JSON body, in arrival order.</summary>
    public ConcurrentQueue<JsonElement> Requests { get; } = new();

    public int BadSignatures;

    public static async Task<FakeAppServer> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeAppServer(app, secret);
        app.MapPost("/im/login-callback", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(new Uri(address), "/im/login-callback");
        return server;
    }

    /// <summary>A URL on 127.0.0.1 where nothing listens (the port was free a moment ago): the app server is down.</summary>
    public static Uri DownUrl()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/im/login-callback");
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var timestamp = context.Request.Headers["X-Im-Timestamp"].ToString();
        var expected = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), Encoding.UTF8.GetBytes(timestamp + "." + body))).ToLowerInvariant();
        var signed = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(context.Request.Headers["X-Im-Signature"].ToString()));
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Requests.Enqueue(json);
        if (!signed)
        {
            Interlocked.Increment(ref BadSignatures);
            await context.Response.WriteAsJsonAsync(new { code = 401, msg = "bad signature" });
            return;
        }

        var token = json.GetProperty("token").GetString()!;
        if (token.StartsWith("allow", StringComparison.Ordinal)) await context.Response.WriteAsJsonAsync(new { code = 200 });
        else if (token.StartsWith("refuse", StringComparison.Ordinal)) await context.Response.WriteAsJsonAsync(new { code = 403, msg = "not this one" });
        else if (token == "http403") context.Response.StatusCode = 403;
        else if (token == "hang") await Task.Delay(Timeout.Infinite, context.RequestAborted);
        else context.Response.StatusCode = 500;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
