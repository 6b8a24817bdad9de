using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Admin;

/// <summary>GET /admin/v1/online on a node of its own, so no other test's sockets move the figures.</summary>
public sealed class AdminOnlineCountTests(AdminNodeFixture fixture) : IClassFixture<AdminNodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Online_counts_move_when_sockets_connect_and_disconnect()
    {
        var start = await Node.AdminOkAsync(HttpMethod.Get, "/admin/v1/online");
        Assert.Equal(0, start.GetProperty("connections").GetInt32());
        Assert.Equal(0, start.GetProperty("users").GetInt32());
        Assert.Single(start.GetProperty("gateways").EnumerateArray());

        var a = NodeFixture.NewUserId("on");
        var b = NodeFixture.NewUserId("on");
        var tokenA = await Node.LoginAsync(a);
        await using var webA = await Node.ConnectAsync(tokenA, "im_web");
        await using var iosA = await Node.ConnectAsync(tokenA, "im_app_ios");
        var webB = await Node.ConnectAsync(await Node.LoginAsync(b), "im_web");

        var online = await Node.AdminOkAsync(HttpMethod.Get, "/admin/v1/online");
        Assert.Equal(3, online.GetProperty("connections").GetInt32());
        Assert.Equal(2, online.GetProperty("users").GetInt32());
        Assert.Equal(2, online.GetProperty("by_device_type").GetProperty("im_web").GetInt32());
        Assert.Equal(1, online.GetProperty("by_device_type").GetProperty("im_app_ios").GetInt32());
        Assert.Equal(3, online.GetProperty("by_dialect").GetProperty("json").GetInt32());
        var gateway = Assert.Single(online.GetProperty("gateways").EnumerateArray());
        Assert.True(gateway.GetProperty("reachable").GetBoolean());
        Assert.Equal(3, gateway.GetProperty("connections").GetInt32());

        await webB.DisposeAsync();
        await Eventually.True(async () => await Node.OnlineConnectionsAsync() == 2, because: "b's socket closed");
        var after = await Node.AdminOkAsync(HttpMethod.Get, "/admin/v1/online");
        Assert.Equal(1, after.GetProperty("users").GetInt32());
        Assert.Equal(1, after.GetProperty("by_device_type").GetProperty("im_web").GetInt32());
    }
}
