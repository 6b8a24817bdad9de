using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using OrleansIm.Tests.Sessions;
using Xunit;

namespace OrleansIm.Tests.SystemMessages;

/// <summary>
/// System notifications (seed 002 sysMsg) over real sockets: posted by features through ISystemInboxGrain (posted
/// straight to the grain here — friends and teams test their own flows), pushed live, kept for offline users and synced.
/// </summary>
public sealed class SystemNotificationTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private ISystemInboxGrain Inbox(TestNode node, string user) => node.Services.GetRequiredService<IGrainFactory>().GetGrain<ISystemInboxGrain>(user);

    private static SystemNotificationDraft Invite(string from, int n) =>
        new(SystemNotificationTypes.TeamInvite, from, "team" + n, "join us " + n, $$"""{"n":{{n}}}""");

    [Fact]
    public async Task Notifications_posted_while_offline_arrive_in_the_login_sync_newest_first_with_the_unread_count()
    {
        var user = NodeFixture.NewUserId("sys");
        var token = await Node.LoginAsync(user);
        for (var n = 1; n <= 3; n++) await Inbox(Node, user).Post(Invite("alice", n));

        await using var socket = await Node.ConnectAsync(token);
        var frames = await SessionClient.SyncAsync(socket, new { sysMsgLimit = 2 });

        var sync = SessionClient.Data(frames, "syncSysMsgs");
        Assert.Equal(3, sync.GetProperty("unread").GetInt32());
        Assert.True(sync.GetProperty("has_more").GetBoolean());
        var rows = sync.GetProperty("sysMsgs").EnumerateArray().ToList();
        Assert.Equal([3L, 2L], rows.Select(r => r.GetProperty("id").GetInt64()));
        var newest = rows[0];
        Assert.Equal("teamInvite", newest.GetProperty("type").GetString());
        Assert.Equal("alice", newest.GetProperty("from").GetString());
        Assert.Equal(user, newest.GetProperty("to").GetString());
        Assert.Equal("team3", newest.GetProperty("target_id").GetString());
        Assert.Equal("join us 3", newest.GetProperty("ps").GetString());
        Assert.Equal(3, newest.GetProperty("attach").GetProperty("n").GetInt32());
        Assert.Equal("init", newest.GetProperty("state").GetString());
        Assert.False(newest.GetProperty("read").GetBoolean());
        Assert.True(SessionClient.Data(frames, "syncdone").GetProperty("sysmsgs_more").GetBoolean());
        Assert.Equal("syncSysMsgs", frames[^2].GetProperty("type").GetString()); // after the message parts

        // The rest pages on with sysmsg.list from the last id seen.
        var older = await socket.AckAsync("sysmsg.list", new { before_id = 2, limit = 10 });
        Assert.Equal([1L], older.GetProperty("sysMsgs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.False(older.GetProperty("has_more").GetBoolean());

        var off = await SessionClient.SyncAsync(socket, new { sysMsgs = false });
        Assert.DoesNotContain(off, f => f.GetProperty("type").GetString() == "syncSysMsgs");
    }

    [Fact]
    public async Task Live_devices_get_sysMsg_and_the_unread_count_and_a_read_on_one_device_updates_the_others()
    {
        var user = NodeFixture.NewUserId("sys");
        var token = await Node.LoginAsync(user);
        await using var web = await Node.ConnectAsync(token, "im_web");
        await using var mac = await Node.ConnectAsync(token, "im_pc_mac");

        var posted = await Inbox(Node, user).Post(Invite("bob", 7));
        foreach (var socket in new[] { web, mac })
        {
            var pushed = await socket.WaitForTypeAsync("sysMsg");
            Assert.Equal(posted.Id, pushed.GetProperty("data").GetProperty("id").GetInt64());
            Assert.Equal("bob", pushed.GetProperty("data").GetProperty("from").GetString());
            await socket.WaitForTypeAsync("sysMsgUnread", f => f.GetProperty("data").GetProperty("unread").GetInt32() == 1);
        }

        var ack = await web.AckAsync("sysmsg.read", new { ids = new[] { posted.Id, 999_999L } }); // unknown ids are ignored
        Assert.Equal(0, ack.GetProperty("unread").GetInt32());
        await mac.WaitForTypeAsync("sysMsgUnread", f => f.GetProperty("data").GetProperty("unread").GetInt32() == 0);
        Assert.Equal(0, await Inbox(Node, user).GetUnreadCount());
        Assert.True((await Inbox(Node, user).Get(posted.Id))!.Read);
    }

    [Fact]
    public async Task Handling_a_request_updates_its_state_on_every_device()
    {
        var user = NodeFixture.NewUserId("sys");
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(user));
        var inbox = Inbox(Node, user);
        var posted = await inbox.Post(Invite("carol", 1));

        var updated = await inbox.SetState(posted.Id, SystemNotificationStates.Passed);
        Assert.Equal("passed", updated!.State);
        var push = await socket.WaitForTypeAsync("updateSystemMessages");
        var row = push.GetProperty("data").GetProperty("sysMsgs").EnumerateArray().Single();
        Assert.Equal(posted.Id, row.GetProperty("id").GetInt64());
        Assert.Equal("passed", row.GetProperty("state").GetString());

        Assert.Null(await inbox.SetState(12345, SystemNotificationStates.Rejected));
        var error = await Assert.ThrowsAsync<ImException>(() => inbox.SetState(posted.Id, "maybe"));
        Assert.Equal(ImErrorCodes.InvalidParameter, error.Code);
    }

    [Fact]
    public async Task Bad_frames_get_documented_codes()
    {
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(NodeFixture.NewUserId("sys")));
        await socket.ExpectErrorAsync("sysmsg.read", new { ids = "all" }, ImErrorCodes.InvalidParameter);
        await socket.ExpectErrorAsync("sysmsg.read", new { ids = new[] { "1" } }, ImErrorCodes.InvalidParameter);
        await socket.ExpectErrorAsync("sysmsg.read", new { ids = Enumerable.Range(1, 101) }, ImErrorCodes.LimitExceeded);
        await socket.ExpectErrorAsync("sysmsg.list", new { limit = 0 }, ImErrorCodes.InvalidParameter);
        await socket.ExpectErrorAsync("sysmsg.list", new { limit = 101 }, ImErrorCodes.LimitExceeded);
        await socket.ExpectErrorAsync("sysmsg.list", new { before_id = "x" }, ImErrorCodes.InvalidParameter);
        await socket.ExpectErrorAsync("sync", new { sysMsgLimit = 0 }, ImErrorCodes.InvalidParameter);
        var empty = await socket.AckAsync("sysmsg.list");
        Assert.Empty(empty.GetProperty("sysMsgs").EnumerateArray());
        Assert.Equal(0, empty.GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task The_inbox_keeps_the_newest_notifications_within_its_bound_across_a_restart()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["ImGrains:MaxSystemNotifications"] = "3" });
        var user = NodeFixture.NewUserId("sys");
        var token = await node.LoginAsync(user);
        for (var n = 1; n <= 5; n++) await Inbox(node, user).Post(Invite("dave", n));
        await Inbox(node, user).MarkRead([5]);

        await node.RestartAsync();

        await using var socket = await node.ConnectAsync(token);
        var list = await socket.AckAsync("sysmsg.list");
        Assert.Equal([5L, 4L, 3L], list.GetProperty("sysMsgs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.False(list.GetProperty("has_more").GetBoolean());
        Assert.Equal(2, list.GetProperty("unread").GetInt32());
        // Ids go on increasing after the oldest were dropped.
        Assert.Equal(6, (await Inbox(node, user).Post(Invite("dave", 6))).Id);
    }
}
