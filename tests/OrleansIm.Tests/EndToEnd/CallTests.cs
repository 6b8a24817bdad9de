using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>Seed 001 calls end to end: JSON /ws frames, the HTTP twins with "ide" auth, TURN credentials.</summary>
public sealed class CallTests : IAsyncLifetime
{
    private const string TurnSecret = "turn-test-secret";
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(new Dictionary<string, string?>
    {
        ["Turn:Secret"] = TurnSecret,
        ["Turn:TtlSeconds"] = "3600",
        ["Turn:Urls:0"] = "stun:127.0.0.1:3478",
        ["Turn:Urls:1"] = "turn:127.0.0.1:3478?transport=udp",
    });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static string Id(string prefix) => NodeFixture.NewUserId(prefix);

    private async Task<ImSocket> OnlineAsync(string token, string deviceType = "im_web")
    {
        var socket = await _node.ConnectAsync(token, deviceType);
        await socket.PingAsync(); // the device is registered once the socket answers
        return socket;
    }

    private static object Request(string callId, string callee) =>
        new { callId, type = "VIDEO", callee, callerUserName = "Alice", calleeUserName = "Bob" };

    private static string Data(JsonElement frame, string property) => frame.GetProperty("data").GetProperty(property).GetString()!;

    [Fact]
    public async Task Full_call_between_two_sockets_with_a_second_callee_device()
    {
        var (alice, bob) = (Id("alice"), Id("bob"));
        await using var aliceWeb = await OnlineAsync(await _node.LoginAsync(alice));
        var bobToken = await _node.LoginAsync(bob);
        await using var bobWeb = await OnlineAsync(bobToken);
        await using var bobPhone = await OnlineAsync(bobToken, "im_app_android");
        var callId = Guid.NewGuid().ToString().ToUpperInvariant();

        var ack = await aliceWeb.AckAsync("call.request", Request(callId, bob));
        Assert.Equal(("RINGING", callId), (ack.GetProperty("phase").GetString(), ack.GetProperty("callId").GetString()));
        foreach (var device in new[] { bobWeb, bobPhone })
        {
            var ring = await device.WaitForTypeAsync("call.request");
            Assert.Equal((callId, alice, "Alice", "VIDEO"), (Data(ring, "callId"), Data(ring, "caller"), Data(ring, "callerUserName"), Data(ring, "type")));
        }

        var accepted = await bobWeb.AckAsync("call.response", new { callId, type = "ACCEPT" });
        Assert.Equal("ACTIVE", accepted.GetProperty("phase").GetString());
        var response = await aliceWeb.WaitForTypeAsync("call.response");
        Assert.Equal("ACCEPT", Data(response, "type"));
        Assert.Equal(callId, Data(await bobPhone.WaitForTypeAsync("call.down"), "callId"));

        await aliceWeb.AckAsync("rtc.signaling", new { callId, type = "OFFER", payload = "v=0\r\no=- 987654321 2 IN IP4 127.0.0.1\r\n" });
        await aliceWeb.AckAsync("rtc.signaling", new { callId, type = "ICE_CANDIDATE", payload = new { candidate = "candidate:1 1 udp 1 127.0.0.1 5000 typ host", sdpMid = "0", sdpMLineIndex = 0 } });
        await bobWeb.AckAsync("rtc.signaling", new { callId, type = "ANSWER", payload = "v=0 answer" });

        var offer = await bobWeb.WaitForTypeAsync("rtc.signaling");
        Assert.Equal(("OFFER", "v=0\r\no=- 987654321 2 IN IP4 127.0.0.1\r\n"), (Data(offer, "type"), Data(offer, "payload")));
        var candidate = await bobWeb.WaitForTypeAsync("rtc.signaling");
        Assert.Equal("0", candidate.GetProperty("data").GetProperty("payload").GetProperty("sdpMid").GetString());
        Assert.Equal("v=0 answer", Data(await aliceWeb.WaitForTypeAsync("rtc.signaling"), "payload"));
        await Assert.ThrowsAsync<TimeoutException>(() => bobPhone.WaitForTypeAsync("rtc.signaling", timeout: TimeSpan.FromMilliseconds(300)));

        // Hangup without callId: the user's current call.
        var ended = await aliceWeb.AckAsync("call.hangup", new { });
        Assert.Equal("ENDED", ended.GetProperty("phase").GetString());
        Assert.Equal(callId, Data(await bobWeb.WaitForTypeAsync("call.hangup"), "callId"));
        await aliceWeb.ExpectErrorAsync("rtc.signaling", new { callId, type = "OFFER", payload = "late" }, 409);
        await aliceWeb.ExpectErrorAsync("call.hangup", null, 404); // no current call any more
    }

    [Fact]
    public async Task Busy_callee_is_1001_and_bad_frames_are_400()
    {
        var (alice, bob, carol) = (Id("alice"), Id("bob"), Id("carol"));
        await using var aliceWeb = await OnlineAsync(await _node.LoginAsync(alice));
        await using var bobWeb = await OnlineAsync(await _node.LoginAsync(bob));
        await using var carolWeb = await OnlineAsync(await _node.LoginAsync(carol));

        await aliceWeb.AckAsync("call.request", Request("busy-" + alice, bob));
        var busy = await carolWeb.ExpectErrorAsync("call.request", Request("busy-" + carol, bob), 1001);
        Assert.Equal("callee busy", busy.GetProperty("msg").GetString());

        var missing = await carolWeb.ExpectErrorAsync("call.request", new { callId = "x-" + carol, callee = alice, calleeUserName = "A" }, 400);
        Assert.Contains("'callerUserName'", missing.GetProperty("msg").GetString());
        await carolWeb.ExpectErrorAsync("call.request", new { callId = 42, callee = alice, callerUserName = "C", calleeUserName = "A" }, 400);
        await carolWeb.ExpectErrorAsync("call.response", new { callId = "busy-" + alice, type = "ACCEPT" }, 403);
        await carolWeb.ExpectErrorAsync("rtc.signaling", new { callId = "busy-" + alice, type = "OFFER" }, 400);
        var turn = await carolWeb.AckAsync("turn.credentials");
        Assert.Equal(2, turn.GetProperty("iceServers").GetArrayLength());
    }

    [Fact]
    public async Task Http_twins_authenticate_with_ide_and_answer_the_seed_envelope()
    {
        var (alice, bob) = (Id("alice"), Id("bob"));
        var aliceToken = await _node.LoginAsync(alice);
        var bobToken = await _node.LoginAsync(bob);
        await using var aliceWeb = await OnlineAsync(aliceToken);
        await using var bobWeb = await OnlineAsync(bobToken);
        var callId = "http-" + alice;

        var (status, body) = await PostAsync("/imserver/call/request", JsonSerializer.Serialize(Request(callId, bob)), token: null);
        Assert.Equal((HttpStatusCode.Unauthorized, 401), (status, body.GetProperty("code").GetInt32()));
        (status, body) = await PostAsync("/imserver/call/request", JsonSerializer.Serialize(Request(callId, bob)), token: "Bearer not.a.jwt");
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        (status, body) = await PostAsync("/imserver/call/request", "{\"callId\":\"" + callId + "\",\"callee\":\"" + bob + "\"}", aliceToken);
        Assert.Equal((HttpStatusCode.BadRequest, 400), (status, body.GetProperty("code").GetInt32()));
        (status, _) = await PostAsync("/imserver/call/request", "{not json", aliceToken);
        Assert.Equal(HttpStatusCode.BadRequest, status);

        // The token as the login API issued it ("Bearer …"), and bare.
        (status, body) = await PostAsync("/imserver/call/request", JsonSerializer.Serialize(Request(callId, bob)), aliceToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((200, "ok", JsonValueKind.Null), (body.GetProperty("code").GetInt32(), body.GetProperty("msg").GetString(), body.GetProperty("data").ValueKind));
        await bobWeb.WaitForTypeAsync("call.request");

        var carolToken = await _node.LoginAsync(Id("carol"));
        (status, body) = await PostAsync("/imserver/call/request", JsonSerializer.Serialize(Request("other-" + alice, bob)), carolToken);
        Assert.Equal((HttpStatusCode.OK, 1001), (status, body.GetProperty("code").GetInt32())); // business code on HTTP 200

        (status, body) = await PostAsync("/imserver/call/response", JsonSerializer.Serialize(new { callId, type = "ACCEPT" }), bobToken[7..]);
        Assert.Equal((HttpStatusCode.OK, 200), (status, body.GetProperty("code").GetInt32()));
        // The HTTP caller has no socket: every live caller device hears the answer.
        Assert.Equal("ACCEPT", Data(await aliceWeb.WaitForTypeAsync("call.response"), "type"));
        (status, body) = await PostAsync("/imserver/call/response", JsonSerializer.Serialize(new { callId, type = "ACCEPT" }), bobToken);
        Assert.Equal((HttpStatusCode.Conflict, 409), (status, body.GetProperty("code").GetInt32()));

        (status, body) = await PostAsync("/imserver/call/hangup", null, bobToken); // seed: empty body
        Assert.Equal((HttpStatusCode.OK, 200), (status, body.GetProperty("code").GetInt32()));
        Assert.Equal(callId, Data(await aliceWeb.WaitForTypeAsync("call.hangup"), "callId"));
        (status, body) = await PostAsync("/imserver/call/hangup", null, bobToken);
        Assert.Equal((HttpStatusCode.NotFound, 404), (status, body.GetProperty("code").GetInt32()));
    }

    [Fact]
    public async Task Turn_credentials_follow_the_coturn_rest_formula()
    {
        var user = Id("turn");
        var token = await _node.LoginAsync(user);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var (status, body) = await _node.SendAsync(HttpMethod.Get, "/imserver/turn/get-turn-credentials", null, [("ide", token)]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(200, body.GetProperty("code").GetInt32());
        var servers = body.GetProperty("data").GetProperty("iceServers");
        Assert.Equal(2, servers.GetArrayLength());

        var stun = servers[0];
        Assert.Equal(("stun:127.0.0.1:3478", "stun:127.0.0.1:3478"), (stun.GetProperty("url").GetString(), stun.GetProperty("urls").GetString()));
        Assert.Equal(JsonValueKind.Null, stun.GetProperty("username").ValueKind);
        Assert.Equal(JsonValueKind.Null, stun.GetProperty("credential").ValueKind);

        var turn = servers[1];
        Assert.Equal("turn:127.0.0.1:3478?transport=udp", turn.GetProperty("urls").GetString());
        var username = turn.GetProperty("username").GetString()!;
        var parts = username.Split(':');
        Assert.Equal(user, parts[1]);
        var expiry = long.Parse(parts[0]);
        Assert.InRange(expiry, before + 3600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(TurnSecret), Encoding.UTF8.GetBytes(username)));
        Assert.Equal(expected, turn.GetProperty("credential").GetString());

        (status, _) = await _node.SendAsync(HttpMethod.Get, "/imserver/turn/get-turn-credentials", null, []);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_banned_user_gets_no_turn_credentials_and_cannot_call_over_http()
    {
        var user = Id("banned");
        var callee = Id("callee");
        var token = await _node.LoginAsync(user);
        await _node.LoginAsync(callee);
        var (status, _) = await _node.SendAsync(HttpMethod.Get, "/imserver/turn/get-turn-credentials", null, [("ide", token)]);
        Assert.Equal(HttpStatusCode.OK, status);

        var (banStatus, _) = await _node.SendAsync(HttpMethod.Put, "/openapi/v1/user/status",
            JsonSerializer.Serialize(new { id = user, userStatus = UserStatuses.Banned }), [("X-App-Key", TestNode.AppKey)]);
        Assert.Equal(HttpStatusCode.OK, banStatus);

        // The token is still valid, but the user is banned: 403 on every twin.
        (status, var body) = await _node.SendAsync(HttpMethod.Get, "/imserver/turn/get-turn-credentials", null, [("ide", token)]);
        Assert.Equal((HttpStatusCode.Forbidden, 403), (status, body.GetProperty("code").GetInt32()));
        (status, body) = await PostAsync("/imserver/call/request",
            JsonSerializer.Serialize(new { callId = Id("c"), type = CallTypes.Video, callee, callerUserName = "A", calleeUserName = "B" }), token);
        Assert.Equal((HttpStatusCode.Forbidden, 403), (status, body.GetProperty("code").GetInt32()));
        (status, body) = await PostAsync("/imserver/call/response", JsonSerializer.Serialize(new { callId = Id("c"), type = "ACCEPT" }), token);
        Assert.Equal((HttpStatusCode.Forbidden, 403), (status, body.GetProperty("code").GetInt32()));
        (status, body) = await PostAsync("/imserver/call/hangup", null, token);
        Assert.Equal((HttpStatusCode.Forbidden, 403), (status, body.GetProperty("code").GetInt32()));
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string? json, string? token) =>
        _node.SendAsync(HttpMethod.Post, path, json, token is null ? [] : [("ide", token)]);
}
