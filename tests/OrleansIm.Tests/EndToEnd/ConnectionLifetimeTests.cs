using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using OrleansIm.Silo;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>A node with a short idle timeout and refresh interval, to see both actually happen.</summary>
public sealed class ConnectionLifetimeTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(new Dictionary<string, string?>
    {
        // Long enough for the second user's login, connect and the conversation's creation on a loaded 2-core machine
        // (1.5 s was not: the first socket, silent meanwhile, was closed before the test could start talking).
        ["Gateway:IdleTimeout"] = "00:00:03",
        ["Gateway:ObserverRefreshInterval"] = "00:00:00.200",
    });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Silent_socket_is_closed_with_4408()
    {
        await using var socket = await _node.ConnectAsync(await _node.LoginAsync(NodeFixture.NewUserId("idle")));
        Assert.Equal((WebSocketCloseStatus)4408, await socket.WaitClosedAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Active_socket_survives_idle_timeout_and_refreshes_without_kicking_itself()
    {
        var a = NodeFixture.NewUserId("live");
        var b = NodeFixture.NewUserId("live");
        await using var alice = await _node.ConnectAsync(await _node.LoginAsync(a));
        await using var bob = await _node.ConnectAsync(await _node.LoginAsync(b));
        var (_, created) = await _node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 1 }));
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;

        // Keep talking for longer than the idle timeout; many refresh rounds (re-Connect) happen meanwhile.
        var until = DateTime.UtcNow.AddSeconds(4.5);
        while (DateTime.UtcNow < until)
        {
            await alice.PingAsync();
            await bob.PingAsync();
            await Task.Delay(250);
        }

        await alice.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "still connected" });
        var push = await bob.WaitForTypeAsync("msg.new");
        Assert.Equal("still connected", push.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal(WebSocketState.Open, alice.State);
    }

    [Fact]
    public void Non_standalone_node_without_secrets_does_not_start()
    {
        var dir = Path.Combine(Path.GetTempPath(), "orleansim-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => StandaloneNode.Build([], c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OrleansIm:Mode"] = "cluster",
                ["Storage:DataDirectory"] = dir,
                ["Gateway:Host"] = "127.0.0.1",
                ["Gateway:Port"] = "0",
            })));
            Assert.Contains("Gateway:AppKey", e.Message);
            Assert.Contains("Gateway:JwtSecret", e.Message);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
