using System.Net.WebSockets;
using System.Text.Json;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

public sealed class PresenceAndDeviceTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static Func<JsonElement, bool> Presence(string userId, string status) =>
        f => f.GetProperty("data").GetProperty("userId").GetString() == userId && f.GetProperty("data").GetProperty("status").GetString() == status;

    [Fact]
    public async Task Watcher_gets_presence_pushes_on_connect_and_disconnect()
    {
        var watcherId = NodeFixture.NewUserId("w");
        var bobId = NodeFixture.NewUserId("bob");
        await using var watcher = await Node.ConnectAsync(await Node.LoginAsync(watcherId));
        var bobToken = await Node.LoginAsync(bobId);

        var ack = await watcher.AckAsync("presence.subscribe", new { user_ids = new[] { bobId } });
        Assert.Equal("OFFLINE", ack.GetProperty("users")[0].GetProperty("status").GetString());

        var bob = await Node.ConnectAsync(bobToken);
        await watcher.WaitForTypeAsync("presence", Presence(bobId, "ONLINE"));
        var query = await watcher.AckAsync("presence.query", new { user_ids = new[] { bobId, watcherId } });
        Assert.All(query.GetProperty("users").EnumerateArray(), u => Assert.Equal("ONLINE", u.GetProperty("status").GetString()));

        await bob.DisposeAsync();
        await watcher.WaitForTypeAsync("presence", Presence(bobId, "OFFLINE"));

        await watcher.AckAsync("presence.unsubscribe", new { user_ids = new[] { bobId } });
        await using var bobAgain = await Node.ConnectAsync(bobToken);
        await bobAgain.PingAsync();
        var after = await watcher.AckAsync("presence.query", new { user_ids = new[] { bobId } });
        Assert.Equal("ONLINE", after.GetProperty("users")[0].GetProperty("status").GetString());
        await Assert.ThrowsAsync<TimeoutException>(() => watcher.WaitForTypeAsync("presence", null, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Same_device_type_kicks_the_first_and_other_device_types_coexist()
    {
        var id = NodeFixture.NewUserId("multi");
        var token = await Node.LoginAsync(id);
        await using var web1 = await Node.ConnectAsync(token, "im_web");
        await using var mac = await Node.ConnectAsync(token, "im_pc_mac");
        await web1.PingAsync();

        await using var web2 = await Node.ConnectAsync(token, "im_web");
        var kick = await web1.WaitForTypeAsync("logout.kick");
        Assert.Equal("replaced", kick.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal((WebSocketCloseStatus)4409, await web1.WaitClosedAsync());

        await web2.PingAsync();
        await mac.PingAsync();
    }

    [Fact]
    public async Task Banning_kicks_live_sockets_with_4403()
    {
        var id = NodeFixture.NewUserId("banme");
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(id));
        await socket.PingAsync();
        await Node.SendAsync(HttpMethod.Put, "/openapi/v1/user/status", JsonSerializer.Serialize(new { id, userStatus = 2 }), [("X-App-Key", TestNode.AppKey)]);
        var kick = await socket.WaitForTypeAsync("logout.kick");
        Assert.Equal("banned", kick.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal((WebSocketCloseStatus)4403, await socket.WaitClosedAsync());
    }
}
