using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Observability;

/// <summary>A real standalone node's health endpoints over HTTP: on its client port, or on Observability:Port alone.</summary>
public sealed class StandaloneHealthTests
{
    [Fact]
    public async Task A_running_node_is_live_and_ready_with_its_silo_Active_and_SQLite_answering()
    {
        await using var node = await TestNode.StartAsync();

        using var live = await node.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        using var ready = await node.Http.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("silo").GetProperty("status").GetString());
        Assert.Equal("silo is Active", body.GetProperty("checks").GetProperty("silo").GetProperty("description").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("sqlite").GetProperty("status").GetString());
    }

    [Fact]
    public async Task With_Observability_Port_health_and_metrics_are_served_there_and_not_on_the_client_port()
    {
        var port = FreePort();
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?>
        {
            ["Observability:Host"] = "127.0.0.1",
            ["Observability:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var observability = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        foreach (var path in new[] { "/health/live", "/health/ready", "/metrics" })
        {
            using var there = await observability.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, there.StatusCode);
            using var onClientPort = await node.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, onClientPort.StatusCode);
        }
        // Which port a request arrived on decides, not the Host header a client sends.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = $"127.0.0.1:{port}" } };
        using var spoofedResponse = await node.Http.SendAsync(spoofed);
        Assert.Equal(HttpStatusCode.NotFound, spoofedResponse.StatusCode);
        // The client API is not on the observability port.
        using var login = await observability.PostAsync("/openapi/v1/user/login", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, login.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
