using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using OrleansIm.Tests.Stomp;
using Xunit;

namespace OrleansIm.Tests.Admin;

/// <summary>The admin API (/admin/v1) against a real node with an admin key, over HTTP and real /ws sockets.</summary>
public sealed class AdminApiTests(AdminNodeFixture fixture) : IClassFixture<AdminNodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_missing_or_wrong_admin_key_is_401_with_4012_and_the_app_key_is_not_an_admin_key()
    {
        foreach (var key in new string?[] { null, "", "wrong-admin-key-000000000", TestNode.AppKey, AdminNodeFixture.AdminKey + "x" })
        {
            var (status, body) = await Node.AdminAsync(HttpMethod.Get, "/admin/v1/silos", key: key);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(ImErrorCodes.AdminUnauthorized, body.GetProperty("code").GetInt32());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
        }

        // The app key's own headers do not open it either.
        var (appStatus, _) = await Node.ApiAsync(HttpMethod.Get, "/admin/v1/silos");
        Assert.Equal(HttpStatusCode.Unauthorized, appStatus);

        var (ok, reply) = await Node.AdminAsync(HttpMethod.Get, "/admin/v1/silos", key: AdminNodeFixture.AdminKey);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(0, reply.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_admin_key_also_works_as_the_password_of_a_basic_login()
    {
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("anyone:" + AdminNodeFixture.AdminKey));
        var (status, _) = await Node.SendAsync(HttpMethod.Get, "/admin/v1/silos", null, [("Authorization", "Basic " + basic)]);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task User_lookup_shows_the_live_devices_of_connected_sockets()
    {
        var user = NodeFixture.NewUserId("adm");
        var token = await Node.LoginAsync(user, "Admin Look");
        await using var web = await Node.ConnectAsync(token, "im_web");
        await using var mac = await Node.ConnectAsync(token, "im_pc_mac");
        var sessions = await Node.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(user).GetDeviceSessions();

        var data = await Node.AdminOkAsync(HttpMethod.Get, $"/admin/v1/users/{user}");

        Assert.Equal(user, data.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("Admin Look", data.GetProperty("user").GetProperty("nickname").GetString());
        Assert.Equal(UserStatuses.Normal, data.GetProperty("user").GetProperty("userStatus").GetInt32());
        Assert.Equal("ONLINE", data.GetProperty("status").GetString());
        var devices = data.GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal(["im_pc_mac", "im_web"], devices.Select(d => d.GetProperty("device_type").GetString()));
        foreach (var device in devices)
        {
            var session = sessions.Single(s => s.DeviceType == device.GetProperty("device_type").GetString());
            Assert.Equal(session.ConnectionId, device.GetProperty("conn_id").GetString());
            Assert.False(string.IsNullOrEmpty(device.GetProperty("gateway").GetString()));
            Assert.True(device.GetProperty("connected_at").GetInt64() > 0);
        }

        var (unknownStatus, unknown) = await Node.AdminAsync(HttpMethod.Get, "/admin/v1/users/" + NodeFixture.NewUserId("never"));
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.Equal(ImErrorCodes.UnknownUser, unknown.GetProperty("code").GetInt32());
        var (badStatus, bad) = await Node.AdminAsync(HttpMethod.Get, "/admin/v1/users/no%20spaces");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal(ImErrorCodes.InvalidUserId, bad.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Ban_kicks_the_live_socket_with_4403_and_unban_lets_the_user_connect_again()
    {
        var user = NodeFixture.NewUserId("ban");
        var token = await Node.LoginAsync(user);
        await using var socket = await Node.ConnectAsync(token);

        var banned = await Node.AdminOkAsync(HttpMethod.Post, $"/admin/v1/users/{user}/ban");
        Assert.Equal(UserStatuses.Banned, banned.GetProperty("user").GetProperty("userStatus").GetInt32());

        var kick = await socket.WaitForTypeAsync("logout.kick");
        Assert.Equal("banned", kick.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal((WebSocketCloseStatus)4403, await socket.WaitClosedAsync());
        Assert.Equal(HttpStatusCode.Forbidden, await Node.FailedHandshakeStatusAsync(token, "im_web"));
        var (_, login) = await Node.PostLoginAsync(new { id = user, nickname = user });
        Assert.Equal(ImErrorCodes.Banned, login.GetProperty("code").GetInt32());

        var unbanned = await Node.AdminOkAsync(HttpMethod.Post, $"/admin/v1/users/{user}/unban");
        Assert.Equal(UserStatuses.Normal, unbanned.GetProperty("user").GetProperty("userStatus").GetInt32());
        await using var again = await Node.ConnectAsync(token);
        await again.PingAsync();
    }

    [Fact]
    public async Task Kicking_one_device_type_closes_only_that_socket_with_4411()
    {
        var user = NodeFixture.NewUserId("kick");
        var token = await Node.LoginAsync(user);
        await using var web = await Node.ConnectAsync(token, "im_web");
        await using var mac = await Node.ConnectAsync(token, "im_pc_mac");

        var data = await Node.AdminOkAsync(HttpMethod.Post, $"/admin/v1/users/{user}/kick", new { device_type = "im_web" });
        Assert.Equal("im_web", Assert.Single(data.GetProperty("kicked").EnumerateArray()).GetProperty("device_type").GetString());

        var kick = await web.WaitForTypeAsync("logout.kick");
        Assert.Equal("admin", kick.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal("im_web", kick.GetProperty("data").GetProperty("device_type").GetString());
        Assert.Equal((WebSocketCloseStatus)4411, await web.WaitClosedAsync());
        await mac.PingAsync();
        var lookup = await Node.AdminOkAsync(HttpMethod.Get, $"/admin/v1/users/{user}");
        Assert.Equal("im_pc_mac", Assert.Single(lookup.GetProperty("devices").EnumerateArray()).GetProperty("device_type").GetString());

        // Not a ban: the kicked device type connects again; a kick without device_type takes every device.
        await using var webAgain = await Node.ConnectAsync(token, "im_web");
        var all = await Node.AdminOkAsync(HttpMethod.Post, $"/admin/v1/users/{user}/kick");
        Assert.Equal(2, all.GetProperty("kicked").GetArrayLength());
        Assert.Equal((WebSocketCloseStatus)4411, await mac.WaitClosedAsync());
        Assert.Equal((WebSocketCloseStatus)4411, await webAgain.WaitClosedAsync());

        var (badStatus, bad) = await Node.AdminAsync(HttpMethod.Post, $"/admin/v1/users/{user}/kick", new { device_type = "toaster" });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal(ImErrorCodes.InvalidParameter, bad.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Conversation_inspection_shows_members_and_the_last_seq_after_a_send()
    {
        var a = NodeFixture.NewUserId("ca");
        var b = NodeFixture.NewUserId("cb");
        await Node.LoginAsync(a);
        await Node.LoginAsync(b);
        var (_, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 2 }));
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;

        var before = await Node.AdminOkAsync(HttpMethod.Get, $"/admin/v1/conversations/{convId}");
        Assert.Equal(0, before.GetProperty("last_seq").GetInt64());

        for (var i = 0; i < 2; i++)
        {
            var (sent, _) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message",
                JsonSerializer.Serialize(new { from_client = a, type = -1, text = "hi " + i }));
            Assert.Equal(HttpStatusCode.OK, sent);
        }

        var data = await Node.AdminOkAsync(HttpMethod.Get, $"/admin/v1/conversations/{convId}");
        Assert.Equal(2, data.GetProperty("last_seq").GetInt64());
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal),
            data.GetProperty("members").EnumerateArray().Select(m => m.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(convId, data.GetProperty("conversation").GetProperty("conv_id").GetString());
        Assert.Equal(2, data.GetProperty("conversation").GetProperty("client_num").GetInt32());

        var (missingStatus, missing) = await Node.AdminAsync(HttpMethod.Get, "/admin/v1/conversations/" + new string('a', 32));
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Equal(ImErrorCodes.ConversationNotFound, missing.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_silos_list_has_this_nodes_silo_active()
    {
        var data = await Node.AdminOkAsync(HttpMethod.Get, "/admin/v1/silos");
        Assert.Equal(1, data.GetProperty("active").GetInt32());
        var silo = Assert.Single(data.GetProperty("silos").EnumerateArray());
        Assert.Equal("Active", silo.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(silo.GetProperty("address").GetString()));
    }

    [Fact]
    public async Task A_broadcast_reaches_the_connected_sockets_of_two_users_as_a_broadcastMsgs_frame()
    {
        var a = NodeFixture.NewUserId("bca");
        var b = NodeFixture.NewUserId("bcb");
        await using var socketA = await Node.ConnectAsync(await Node.LoginAsync(a));
        await using var socketB = await Node.ConnectAsync(await Node.LoginAsync(b), "im_app_ios");

        var data = await Node.AdminOkAsync(HttpMethod.Post, "/admin/v1/broadcast", new { text = "maintenance at 22:00", attr = new { level = "info" } });
        Assert.True(data.GetProperty("connections").GetInt32() >= 2);
        var broadcastId = data.GetProperty("broadcast_id").GetString();

        foreach (var socket in new[] { socketA, socketB })
        {
            var frame = await socket.WaitForTypeAsync("broadcastMsgs",
                f => f.GetProperty("data").GetProperty("msgs")[0].GetProperty("broadcast_id").GetString() == broadcastId);
            var msg = frame.GetProperty("data").GetProperty("msgs")[0];
            Assert.Equal("maintenance at 22:00", msg.GetProperty("text").GetString());
            Assert.Equal("info", msg.GetProperty("attr").GetProperty("level").GetString());
            Assert.Equal("admin", msg.GetProperty("from").GetString());
        }

        // To a list of users: only theirs; unknown ids are named back.
        var never = NodeFixture.NewUserId("never");
        var targeted = await Node.AdminOkAsync(HttpMethod.Post, "/admin/v1/broadcast", new { text = "only a", user_ids = new[] { a, never } });
        Assert.Equal(1, targeted.GetProperty("users").GetInt32());
        Assert.Equal(never, Assert.Single(targeted.GetProperty("unknown_users").EnumerateArray()).GetString());
        var targetedId = targeted.GetProperty("broadcast_id").GetString();
        await socketA.WaitForTypeAsync("broadcastMsgs", f => f.GetProperty("data").GetProperty("msgs")[0].GetProperty("broadcast_id").GetString() == targetedId);
        await socketB.PingAsync(); // b's frames up to here, in order: the targeted broadcast is not among them
        await Assert.ThrowsAsync<TimeoutException>(() => socketB.WaitForTypeAsync("broadcastMsgs",
            f => f.GetProperty("data").GetProperty("msgs")[0].GetProperty("broadcast_id").GetString() == targetedId, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Bad_broadcasts_are_refused_with_documented_codes()
    {
        var (status, missing) = await Node.AdminAsync(HttpMethod.Post, "/admin/v1/broadcast", new { attr = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ImErrorCodes.MissingParameter, missing.GetProperty("code").GetInt32());

        var (_, tooLong) = await Node.AdminAsync(HttpMethod.Post, "/admin/v1/broadcast", new { text = new string('x', MessageLimits.MaxTextLength + 1) });
        Assert.Equal(ImErrorCodes.LimitExceeded, tooLong.GetProperty("code").GetInt32());

        var ids = Enumerable.Range(0, 1001).Select(i => "u" + i).ToArray();
        var (_, tooMany) = await Node.AdminAsync(HttpMethod.Post, "/admin/v1/broadcast", new { text = "x", user_ids = ids });
        Assert.Equal(ImErrorCodes.LimitExceeded, tooMany.GetProperty("code").GetInt32());

        var (_, notJson) = await Node.SendAsync(HttpMethod.Post, "/admin/v1/broadcast", "{not json", [("X-Admin-Key", AdminNodeFixture.AdminKey)]);
        Assert.Equal(ImErrorCodes.InvalidParameter, notJson.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_kicked_stomp_session_gets_logout_kick_admin_and_4411_and_a_broadcast_on_its_event_queue()
    {
        var user = NodeFixture.NewUserId("stk");
        var token = await Node.LoginAsync(user);
        await using var stomp = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={user}&deviceType=im_pc_win", "v12.stomp");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(token, "im_pc_win")).Command);
        await stomp.SendAsync("SUBSCRIBE\nid:b1\ndestination:/user/queue/event/broadcastMsgs\nreceipt:r1\n\n\0");
        Assert.Equal("RECEIPT", (await stomp.NextAsync()).Command);

        var sent = await Node.AdminOkAsync(HttpMethod.Post, "/admin/v1/broadcast", new { text = "to stomp", user_ids = new[] { user } });
        var message = await stomp.NextAsync();
        Assert.Equal(("MESSAGE", "/user/queue/event/broadcastMsgs"), (message.Command, message["destination"]));
        var msg = JsonDocument.Parse(message.BodyText).RootElement.GetProperty("msgs")[0];
        Assert.Equal(sent.GetProperty("broadcast_id").GetString(), msg.GetProperty("broadcast_id").GetString());

        await Node.AdminOkAsync(HttpMethod.Post, $"/admin/v1/users/{user}/kick", new { device_type = "im_pc_win" });
        var kick = await stomp.NextAsync();
        Assert.Equal(("ERROR", "logout.kick", "admin"), (kick.Command, kick["message"], kick["reason"]));
        Assert.Equal((WebSocketCloseStatus)4411, await stomp.WaitClosedAsync());
    }
}
