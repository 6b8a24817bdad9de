using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using OrleansIm.Tests.Stomp;
using Xunit;

namespace OrleansIm.Tests.Auth;

/// <summary>
/// ImGrains:DevicePolicy (seed 002's 多端登录与互踢), each on its own node: who is kicked, who survives, what the kicked
/// device is told (kicked names the replacing device) and what the others are told (multiPortLogin).
/// </summary>
public sealed class DevicePolicyTests
{
    private static Task<TestNode> StartAsync(string policy, int? maxConnections = null)
    {
        var settings = new Dictionary<string, string?> { ["ImGrains:DevicePolicy"] = policy };
        if (maxConnections is { } max) settings["ImGrains:MaxConnectionsPerUser"] = max.ToString();
        return TestNode.StartAsync(settings);
    }

    private static async Task<string> ConnectionIdAsync(TestNode node, string user, string deviceType)
    {
        var sessions = await node.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(user).GetDeviceSessions();
        return sessions.Single(s => s.DeviceType == deviceType).ConnectionId;
    }

    /// <summary>The kicked socket gets kicked (naming its replacement), then logout.kick, then close 4409.</summary>
    private static async Task AssertReplacedAsync(ImSocket socket, string byDeviceType, string byConnectionId)
    {
        var kicked = (await socket.WaitForTypeAsync("kicked")).GetProperty("data");
        Assert.Equal("replaced", kicked.GetProperty("reason").GetString());
        Assert.Equal((byDeviceType, byConnectionId),
            (kicked.GetProperty("by").GetProperty("deviceType").GetString(), kicked.GetProperty("by").GetProperty("connId").GetString()));
        var logout = (await socket.WaitForTypeAsync("logout.kick")).GetProperty("data");
        Assert.Equal(("replaced", byConnectionId), (logout.GetProperty("reason").GetString(), logout.GetProperty("by_conn_id").GetString()));
        Assert.Equal((WebSocketCloseStatus)4409, await socket.WaitClosedAsync());
    }

    [Fact]
    public async Task One_per_device_type_kicks_the_same_type_only_and_names_the_replacement()
    {
        await using var node = await StartAsync("OnePerDeviceType");
        var user = NodeFixture.NewUserId("dp");
        var token = await node.LoginAsync(user);
        await using var web1 = await node.ConnectAsync(token, "im_web");
        await using var ios = await node.ConnectAsync(token, "im_app_ios");
        await using var web2 = await node.ConnectAsync(token, "im_web");

        await AssertReplacedAsync(web1, "im_web", await ConnectionIdAsync(node, user, "im_web"));
        await ios.PingAsync();
        await web2.PingAsync();
    }

    [Fact]
    public async Task Desktop_and_mobile_keeps_one_of_each_class()
    {
        await using var node = await StartAsync("DesktopAndMobile");
        var user = NodeFixture.NewUserId("dp");
        var token = await node.LoginAsync(user);
        await using var web = await node.ConnectAsync(token, "im_web");
        await using var ios = await node.ConnectAsync(token, "im_app_ios");

        await using var mac = await node.ConnectAsync(token, "im_pc_mac");
        await AssertReplacedAsync(web, "im_pc_mac", await ConnectionIdAsync(node, user, "im_pc_mac"));
        await ios.PingAsync();

        await using var android = await node.ConnectAsync(token, "im_app_android");
        await AssertReplacedAsync(ios, "im_app_android", await ConnectionIdAsync(node, user, "im_app_android"));
        await mac.PingAsync();
        await android.PingAsync();
        var online = await node.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(user).GetOnlineDevices();
        Assert.Equal(["im_app_android", "im_pc_mac"], online.Order());
    }

    [Fact]
    public async Task Single_keeps_one_connection_in_all_across_both_dialects()
    {
        await using var node = await StartAsync("Single");
        var user = NodeFixture.NewUserId("dp");
        var token = await node.LoginAsync(user);
        await using var stomp = await StompTestClient.OpenAsync(node.BaseUri, $"userId={user}", "v12.stomp");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(token, "im_pc_win")).Command);
        await stomp.SendAsync("SUBSCRIBE\nid:k\ndestination:/user/queue/event/kicked\nreceipt:r1\n\n\0");
        Assert.Equal("RECEIPT", (await stomp.NextAsync()).Command);

        await using var ios = await node.ConnectAsync(token, "im_app_ios");
        var iosConnection = await ConnectionIdAsync(node, user, "im_app_ios");
        var kicked = await stomp.NextAsync();
        Assert.Equal(("MESSAGE", "/user/queue/event/kicked"), (kicked.Command, kicked["destination"]));
        var by = JsonDocument.Parse(kicked.BodyText).RootElement.GetProperty("by");
        Assert.Equal(("im_app_ios", iosConnection), (by.GetProperty("deviceType").GetString(), by.GetProperty("connId").GetString()));
        var logout = await stomp.NextAsync();
        Assert.Equal(("ERROR", "logout.kick", "replaced"), (logout.Command, logout["message"], logout["reason"]));
        Assert.Equal((WebSocketCloseStatus)4409, await stomp.WaitClosedAsync());

        await using var web = await node.ConnectAsync(token, "im_web");
        await AssertReplacedAsync(ios, "im_web", await ConnectionIdAsync(node, user, "im_web"));
        await web.PingAsync();
    }

    [Fact]
    public async Task Unlimited_keeps_several_connections_of_one_type_up_to_the_cap_then_kicks_the_oldest()
    {
        await using var node = await StartAsync("Unlimited", maxConnections: 3);
        var user = NodeFixture.NewUserId("dp");
        var token = await node.LoginAsync(user);
        var grain = node.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(user);
        await using var web1 = await node.ConnectAsync(token, "im_web");
        await using var web2 = await node.ConnectAsync(token, "im_web");
        await using var stomp = await StompTestClient.OpenAsync(node.BaseUri, $"userId={user}", "v12.stomp");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(token, "im_web")).Command);
        await web1.PingAsync();
        await web2.PingAsync();
        Assert.Equal(3, (await grain.GetDeviceSessions()).Count);
        Assert.Equal(["im_web"], await grain.GetOnlineDevices());

        // Messages reach every connection of the type.
        var peer = NodeFixture.NewUserId("peer");
        await using var peerSocket = await node.ConnectAsync(await node.LoginAsync(peer), "im_web");
        var (_, created) = await node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = peer, to_client_ids = new[] { user }, conv_type = 1 }));
        var conv = created.GetProperty("data").GetProperty("conv_id").GetString();
        await peerSocket.AckAsync("msg.send", new { conv_id = conv, type = -1, text = "to all three" });
        await web1.WaitForTypeAsync("msg.new");
        await web2.WaitForTypeAsync("msg.new");

        var before = (await grain.GetDeviceSessions()).Select(s => s.ConnectionId).ToHashSet();
        await using var mac = await node.ConnectAsync(token, "im_pc_mac");
        var macConnection = (await grain.GetDeviceSessions()).Single(s => !before.Contains(s.ConnectionId)).ConnectionId;
        await AssertReplacedAsync(web1, "im_pc_mac", macConnection);
        await web2.PingAsync();
        Assert.Equal(3, (await grain.GetDeviceSessions()).Count);
    }

    [Fact]
    public async Task Multi_port_login_tells_the_other_devices_who_connected_and_who_left()
    {
        await using var node = await StartAsync("OnePerDeviceType");
        var user = NodeFixture.NewUserId("dp");
        var token = await node.LoginAsync(user);
        await using var web = await node.ConnectAsync(token, "im_web");
        var webConnection = await ConnectionIdAsync(node, user, "im_web");

        var mac = await node.ConnectAsync(token, "im_pc_mac");
        var macConnection = await ConnectionIdAsync(node, user, "im_pc_mac");
        var arrived = (await web.WaitForTypeAsync("multiPortLogin")).GetProperty("data").GetProperty("devices");
        var entry = Assert.Single(arrived.EnumerateArray());
        Assert.Equal(("im_pc_mac", macConnection, true), (entry.GetProperty("deviceType").GetString(), entry.GetProperty("connId").GetString(), entry.GetProperty("online").GetBoolean()));
        Assert.True(entry.GetProperty("time").GetInt64() > 0);

        // A third device: both others hear of it, each listing the devices other than itself.
        await using var ios = await node.ConnectAsync(token, "im_app_ios");
        var toWeb = (await web.WaitForTypeAsync("multiPortLogin")).GetProperty("data").GetProperty("devices");
        Assert.Equal(["im_app_ios", "im_pc_mac"], toWeb.EnumerateArray().Select(d => d.GetProperty("deviceType").GetString()).Order());
        var toMac = (await mac.WaitForTypeAsync("multiPortLogin")).GetProperty("data").GetProperty("devices");
        Assert.DoesNotContain(toMac.EnumerateArray(), d => d.GetProperty("connId").GetString() == macConnection);
        Assert.Contains(toMac.EnumerateArray(), d => d.GetProperty("connId").GetString() == webConnection);

        await mac.DisposeAsync();
        var left = (await web.WaitForTypeAsync("multiPortLogin", f => f.GetProperty("data").GetProperty("devices").EnumerateArray()
            .Any(d => !d.GetProperty("online").GetBoolean()))).GetProperty("data").GetProperty("devices");
        var gone = left.EnumerateArray().Single(d => !d.GetProperty("online").GetBoolean());
        Assert.Equal(("im_pc_mac", macConnection), (gone.GetProperty("deviceType").GetString(), gone.GetProperty("connId").GetString()));
        Assert.Contains(left.EnumerateArray(), d => d.GetProperty("deviceType").GetString() == "im_app_ios" && d.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_policy_stops_the_node_at_startup()
    {
        await Assert.ThrowsAnyAsync<Exception>(async () => await (await StartAsync("Everything")).DisposeAsync());
    }
}
