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
    public async Task A_call_goes_from_a_stomp_client_to_a_json_client_and_back()
    {
        var alice = NodeFixture.NewUserId("sa");
        var bob = NodeFixture.NewUserId("jb");
        var aliceToken = await Node.LoginAsync(alice);
        await using var stomp = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={alice}", "v12.stomp");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(aliceToken)).Command);
        foreach (var (id, queue) in new[] { ("1", "call/request"), ("2", "call/response"), ("3", "call/hangup"), ("4", "rtc/signaling"), ("5", "errors") })
            await stomp.SendAsync($"SUBSCRIBE\nid:{id}\ndestination:/user/queue/{queue}\nreceipt:s{id}\n\n\0");
        for (var i = 0; i < 5; i++) Assert.Equal("RECEIPT", (await stomp.NextAsync()).Command);
        await using var json = await Node.ConnectAsync(await Node.LoginAsync(bob), "im_app_ios");
        await json.PingAsync(); // registered

        // STOMP → /ws: ring, accept, signals both ways, hangup from the /ws side.
        var callId = "x1-" + alice;
        await stomp.SendAsync($"SEND\ndestination:/app/call/request\ncontent-type:application/json\n\n" +
                              $"{{\"callId\":\"{callId}\",\"type\":\"AUDIO\",\"callee\":\"{bob}\",\"callerUserName\":\"A\",\"calleeUserName\":\"B\"}}\0");
        var ring = (await json.WaitForTypeAsync("call.request")).GetProperty("data");
        Assert.Equal(callId, ring.GetProperty("callId").GetString());
        Assert.Equal("AUDIO", ring.GetProperty("type").GetString());
        await json.AckAsync("call.response", new { callId, type = "ACCEPT" });
        var response = await stomp.NextAsync();
        Assert.Equal("/user/queue/call/response", response["destination"]);
        Assert.Contains("ACCEPT", response.BodyText);

        await stomp.SendAsync($"SEND\ndestination:/app/rtc/signaling\n\n{{\"callId\":\"{callId}\",\"type\":\"OFFER\",\"payload\":\"v=0 offer\"}}\0");
        var offer = (await json.WaitForTypeAsync("rtc.signaling")).GetProperty("data");
        Assert.Equal(("OFFER", "v=0 offer"), (offer.GetProperty("type").GetString(), offer.GetProperty("payload").GetString()));
        await json.AckAsync("rtc.signaling", new { callId, type = "ANSWER", payload = "v=0 answer" });
        var answer = await stomp.NextAsync();
        Assert.Equal("/user/queue/rtc/signaling", answer["destination"]);
        Assert.Contains("v=0 answer", answer.BodyText);

        await json.AckAsync("call.hangup", new { callId });
        var hangup = await stomp.NextAsync();
        Assert.Equal("/user/queue/call/hangup", hangup["destination"]);
        Assert.Contains(callId, hangup.BodyText);

        // And back: /ws → STOMP (both free again after the hangup).
        var back = "x2-" + bob;
        await json.AckAsync("call.request", new { callId = back, type = "VIDEO", callee = alice, callerUserName = "B", calleeUserName = "A" });
        var ringBack = await stomp.NextAsync();
        Assert.Equal("/user/queue/call/request", ringBack["destination"]);
        Assert.Contains(back, ringBack.BodyText);
        await stomp.SendAsync($"SEND\ndestination:/app/call/response\n\n{{\"callId\":\"{back}\",\"type\":\"REJECT\"}}\0");
        var rejected = (await json.WaitForTypeAsync("call.response")).GetProperty("data");
        Assert.Equal("REJECT", rejected.GetProperty("type").GetString());
    }

    /// <summary>
    /// The read loop waits with a zero-byte receive and rents its buffer only when data is there (issue 12): empty
    /// WebSocket messages and empty last fragments must neither stall it nor swallow the next message.
    /// </summary>
    [Fact]
    public async Task Empty_messages_and_fragments_do_not_stall_the_reader()
    {
        var user = NodeFixture.NewUserId("st");
        var token = await Node.LoginAsync(user);
        await using var stomp = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={user}", "v12.stomp");
        await stomp.SendAsync("");
        await stomp.SendFragmentsAsync("", "");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(token, "im_pc_win")).Command);

        await stomp.SendAsync("");
        await stomp.SendFragmentsAsync("SUBSCRIBE\nid:e1\ndestination:/user/queue/", "msg/new\nreceipt:r1\n\n\0", "");
        var receipt = await stomp.NextAsync();
        Assert.Equal("RECEIPT", receipt.Command);
        Assert.Equal("r1", receipt["receipt-id"]);

        // One frame over several messages, the last of them empty.
        await stomp.SendAsync("UNSUBSCRIBE\nid:e1\n");
        await stomp.SendFragmentsAsync("receipt:r2\n\n", "\0");
        await stomp.SendAsync("");
        Assert.Equal("r2", (await stomp.NextAsync())["receipt-id"]);
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

    [Fact]
    public async Task A_banned_user_is_kicked_from_stomp_and_refused_on_connect()
    {
        var user = NodeFixture.NewUserId("st");
        var token = await Node.LoginAsync(user);
        await using var stomp = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={user}", "v12.stomp");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(token)).Command);

        var (status, _) = await Node.SendAsync(HttpMethod.Put, "/openapi/v1/user/status",
            System.Text.Json.JsonSerializer.Serialize(new { id = user, userStatus = 2 }), [("X-App-Key", TestNode.AppKey)]);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);

        var kick = await stomp.NextAsync();
        Assert.Equal(("ERROR", "logout.kick", "banned"), (kick.Command, kick["message"], kick["reason"]));
        Assert.Equal((WebSocketCloseStatus)4403, await stomp.WaitClosedAsync());

        // The token is still valid: CONNECT is refused all the same.
        await using var again = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={user}", "v12.stomp");
        var refused = await again.ConnectAsync(token);
        Assert.Equal(("ERROR", "User is banned."), (refused.Command, refused["message"]));
        Assert.Equal((WebSocketCloseStatus)4401, await again.WaitClosedAsync());
    }
}
