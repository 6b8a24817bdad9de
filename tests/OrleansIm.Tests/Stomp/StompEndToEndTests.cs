using System.Net.WebSockets;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Stomp;

/// <summary>The STOMP socket on a real in-process node, next to /ws: both dialects share device registration and presence.</summary>
public sealed class StompEndToEndTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Connects_with_the_preferred_subprotocol_or_none()
    {
        var user = NodeFixture.NewUserId("st");
        var token = await Node.LoginAsync(user);

        await using var offered = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={user}", "v10.stomp", "v12.stomp");
        Assert.Equal("v12.stomp", offered.SubProtocol);
        var connected = await offered.ConnectAsync(token, "im_pc_win");
        Assert.Equal("CONNECTED", connected.Command);
        Assert.Equal(user, connected["user-name"]);
        Assert.Equal("10000,10000", connected["heart-beat"]); // the server offers its value even to a client without heart-beats

        await using var none = await StompTestClient.OpenAsync(Node.BaseUri, "");
        Assert.True(string.IsNullOrEmpty(none.SubProtocol));
        Assert.Equal("CONNECTED", (await none.ConnectAsync(token.Replace("Bearer ", ""), "im_pc_mac")).Command);
    }

    [Fact]
    public async Task A_json_connection_of_the_same_device_type_kicks_the_stomp_session()
    {
        var user = NodeFixture.NewUserId("st");
        var token = await Node.LoginAsync(user);
        await using var stomp = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={user}", "v12.stomp");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(token)).Command); // im_web by default

        await using var json = await Node.ConnectAsync(token, "im_web");
        var kick = await stomp.NextAsync();
        Assert.Equal("ERROR", kick.Command);
        Assert.Equal("logout.kick", kick["message"]);
        Assert.Equal("replaced", kick["reason"]);
        Assert.Equal((WebSocketCloseStatus)4409, await stomp.WaitClosedAsync());
    }

    [Fact]
    public async Task A_stomp_session_kicks_the_json_connection_and_is_seen_online_by_json_watchers()
    {
        var user = NodeFixture.NewUserId("st");
        var watcher = NodeFixture.NewUserId("w");
        var token = await Node.LoginAsync(user);
        await using var json = await Node.ConnectAsync(token, "im_pc_win");
        await using var watching = await Node.ConnectAsync(await Node.LoginAsync(watcher), "im_web");
        await watching.AckAsync("presence.subscribe", new { user_ids = new[] { user } });

        await using var stomp = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={user}&deviceType=im_pc_win", "v12.stomp");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(token)).Command);
        var kick = await json.WaitForTypeAsync("logout.kick");
        Assert.Equal("replaced", kick.GetProperty("data").GetProperty("reason").GetString());

        await stomp.SendAsync("DISCONNECT\nreceipt:1\n\n\0");
        Assert.Equal("RECEIPT", (await stomp.NextAsync()).Command);
        await watching.WaitForTypeAsync("presence", f => f.GetProperty("data").GetProperty("status").GetString() == "OFFLINE");
    }

    [Fact]
    public async Task A_frame_before_connect_or_a_bad_token_gets_ERROR_and_close()
    {
        await using var early = await StompTestClient.OpenAsync(Node.BaseUri, "", "v12.stomp");
        await early.SendAsync("SEND\ndestination:/app/user/status\n\n[]\0");
        Assert.Equal("ERROR", (await early.NextAsync()).Command);
        Assert.Equal((WebSocketCloseStatus)4400, await early.WaitClosedAsync());

        await using var bad = await StompTestClient.OpenAsync(Node.BaseUri, "", "v12.stomp");
        var error = await bad.ConnectAsync("Bearer x.y.z");
        Assert.Equal("ERROR", error.Command);
        Assert.Equal("Invalid or expired token.", error["message"]);
        Assert.Equal((WebSocketCloseStatus)4401, await bad.WaitClosedAsync());
    }
}
