using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Relations;

/// <summary>friend.add / accept / reject / delete / update / list over real sockets, with their events and system notifications.</summary>
public sealed class FriendTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static bool SysMsg(JsonElement frame, string type, string? attachType = null)
    {
        var data = frame.GetProperty("data");
        return data.GetProperty("type").GetString() == type
            && (attachType is null || data.GetProperty("attach").GetProperty("type").GetString() == attachType);
    }

    private static Task<JsonElement> SyncFriendAsync(ImSocket socket, string type) =>
        socket.WaitForTypeAsync("syncFriend", f => f.GetProperty("data").GetProperty("type").GetString() == type);

    private static async Task<List<string>> FriendIdsAsync(ImSocket socket) =>
        (await socket.AckAsync("friend.list")).GetProperty("friends").EnumerateArray().Select(f => f.GetProperty("account").GetString()!).ToList();

    [Fact]
    public async Task A_direct_add_befriends_both_and_tells_every_device()
    {
        var a = NodeFixture.NewUserId("fa");
        var b = NodeFixture.NewUserId("fb");
        var tokenA = await Node.LoginAsync(a);
        var tokenB = await Node.LoginAsync(b);
        await using var alice = await Node.ConnectAsync(tokenA, "im_web");
        await using var alicePhone = await Node.ConnectAsync(tokenA, "im_app_ios");
        await using var bob = await Node.ConnectAsync(tokenB);

        var ack = await alice.AckAsync("friend.add", new { account = b, ps = "hello" });
        Assert.Equal(b, ack.GetProperty("friend").GetProperty("account").GetString());
        Assert.Equal("", ack.GetProperty("friend").GetProperty("alias").GetString());
        var sysMsgId = ack.GetProperty("sysmsg_id").GetInt64();

        var mine = (await SyncFriendAsync(alicePhone, "addFriend")).GetProperty("data");
        Assert.Equal(b, mine.GetProperty("account").GetString());
        Assert.Equal(b, mine.GetProperty("friend").GetProperty("account").GetString());
        var theirs = (await SyncFriendAsync(bob, "addFriend")).GetProperty("data");
        Assert.Equal(a, theirs.GetProperty("account").GetString());
        var notice = (await bob.WaitForTypeAsync("sysMsg", f => SysMsg(f, "friendRequest", "addFriend"))).GetProperty("data");
        Assert.Equal(sysMsgId, notice.GetProperty("id").GetInt64());
        Assert.Equal(a, notice.GetProperty("from").GetString());
        Assert.Equal("hello", notice.GetProperty("ps").GetString());

        Assert.Equal([b], await FriendIdsAsync(alice));
        Assert.Equal([a], await FriendIdsAsync(bob));

        // Adding again changes nothing and sends nothing.
        var again = await alice.AckAsync("friend.add", new { account = b });
        Assert.Equal(JsonValueKind.Null, again.GetProperty("sysmsg_id").ValueKind);
        Assert.Equal([b], await FriendIdsAsync(alice));
    }

    [Fact]
    public async Task A_request_accepted_befriends_both_and_marks_the_notification_passed()
    {
        var a = NodeFixture.NewUserId("ra");
        var b = NodeFixture.NewUserId("rb");
        var tokenA = await Node.LoginAsync(a);
        var tokenB = await Node.LoginAsync(b);
        await using var alice = await Node.ConnectAsync(tokenA, "im_web");
        await using var bob = await Node.ConnectAsync(tokenB, "im_web");
        await using var bobPhone = await Node.ConnectAsync(tokenB, "im_app_android");

        var ack = await alice.AckAsync("friend.add", new { account = b, verify = true, ps = "it's Alice" });
        Assert.Equal(JsonValueKind.Null, ack.GetProperty("friend").ValueKind);
        var requestId = ack.GetProperty("sysmsg_id").GetInt64();
        var request = (await bob.WaitForTypeAsync("sysMsg", f => SysMsg(f, "friendRequest", "applyFriend"))).GetProperty("data");
        Assert.Equal(requestId, request.GetProperty("id").GetInt64());
        Assert.Equal("it's Alice", request.GetProperty("ps").GetString());
        Assert.Equal("init", request.GetProperty("state").GetString());
        Assert.Empty(await FriendIdsAsync(alice));
        Assert.Empty(await FriendIdsAsync(bob));

        var accepted = await bob.AckAsync("friend.accept", new { account = a, sysmsg_id = requestId });
        Assert.Equal(a, accepted.GetProperty("friend").GetProperty("account").GetString());
        Assert.Equal(a, (await SyncFriendAsync(bobPhone, "passFriendApply")).GetProperty("data").GetProperty("account").GetString());
        var updated = (await bobPhone.WaitForTypeAsync("updateSystemMessages")).GetProperty("data").GetProperty("sysMsgs")[0];
        Assert.Equal(requestId, updated.GetProperty("id").GetInt64());
        Assert.Equal("passed", updated.GetProperty("state").GetString());

        Assert.Equal(b, (await SyncFriendAsync(alice, "passFriendApply")).GetProperty("data").GetProperty("friend").GetProperty("account").GetString());
        Assert.Equal(b, (await alice.WaitForTypeAsync("sysMsg", f => SysMsg(f, "friendRequest", "passFriendApply"))).GetProperty("data").GetProperty("from").GetString());
        Assert.Equal([b], await FriendIdsAsync(alice));
        Assert.Equal([a], await FriendIdsAsync(bob));

        // Answered: it cannot be accepted or rejected again.
        await bob.ExpectErrorAsync("friend.accept", new { account = a, sysmsg_id = requestId }, ImErrorCodes.FriendRequestNotFound);
        await bob.ExpectErrorAsync("friend.reject", new { account = a, sysmsg_id = requestId }, ImErrorCodes.FriendRequestNotFound);
    }

    [Fact]
    public async Task A_repeated_request_replaces_the_pending_one_so_requests_cannot_flood_an_inbox()
    {
        var a = NodeFixture.NewUserId("da");
        var b = NodeFixture.NewUserId("db");
        var c = NodeFixture.NewUserId("dc");
        await using var alice = await Node.ConnectAsync(await Node.LoginAsync(a));
        await using var carol = await Node.ConnectAsync(await Node.LoginAsync(c));
        await using var bob = await Node.ConnectAsync(await Node.LoginAsync(b));
        var fromCarol = (await carol.AckAsync("friend.add", new { account = b, verify = true, ps = "carol here" })).GetProperty("sysmsg_id").GetInt64();

        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
            ids.Add((await alice.AckAsync("friend.add", new { account = b, verify = true, ps = $"please {i}" })).GetProperty("sysmsg_id").GetInt64());

        var listed = await bob.AckAsync("sysmsg.list", new { limit = 100 });
        Assert.Equal(2, listed.GetProperty("unread").GetInt32());
        var inbox = listed.GetProperty("sysMsgs").EnumerateArray().ToList();
        Assert.Equal([ids[^1], fromCarol], inbox.Select(m => m.GetProperty("id").GetInt64()));
        Assert.Equal("please 4", inbox[0].GetProperty("ps").GetString());
        // The replaced requests are gone; the newest is the one to answer.
        await bob.ExpectErrorAsync("friend.accept", new { account = a, sysmsg_id = ids[0] }, ImErrorCodes.FriendRequestNotFound);
        await bob.AckAsync("friend.accept", new { account = a, sysmsg_id = ids[^1] });
        Assert.Equal([a], await FriendIdsAsync(bob));
    }

    [Fact]
    public async Task A_request_rejected_leaves_both_lists_and_tells_the_requester()
    {
        var a = NodeFixture.NewUserId("ja");
        var b = NodeFixture.NewUserId("jb");
        var tokenA = await Node.LoginAsync(a);
        var tokenB = await Node.LoginAsync(b);
        await using var alice = await Node.ConnectAsync(tokenA);
        await using var bob = await Node.ConnectAsync(tokenB);

        var requestId = (await alice.AckAsync("friend.add", new { account = b, verify = 1 })).GetProperty("sysmsg_id").GetInt64();
        // Someone else's id, or the request of another user, is not this request.
        await bob.ExpectErrorAsync("friend.accept", new { account = a, sysmsg_id = requestId + 1000 }, ImErrorCodes.FriendRequestNotFound);
        await bob.ExpectErrorAsync("friend.reject", new { account = NodeFixture.NewUserId("other"), sysmsg_id = requestId }, ImErrorCodes.FriendRequestNotFound);

        await bob.AckAsync("friend.reject", new { account = a, sysmsg_id = requestId, ps = "sorry" });
        var rejection = (await alice.WaitForTypeAsync("sysMsg", f => SysMsg(f, "friendRequest", "rejectFriendApply"))).GetProperty("data");
        Assert.Equal(b, rejection.GetProperty("from").GetString());
        Assert.Equal("sorry", rejection.GetProperty("ps").GetString());
        Assert.Empty(await FriendIdsAsync(alice));
        Assert.Empty(await FriendIdsAsync(bob));
        await bob.ExpectErrorAsync("friend.accept", new { account = a, sysmsg_id = requestId }, ImErrorCodes.FriendRequestNotFound);
    }

    [Fact]
    public async Task Aliases_are_ones_own_and_a_deletion_ends_the_friendship_on_both_sides()
    {
        var a = NodeFixture.NewUserId("da");
        var b = NodeFixture.NewUserId("db");
        var tokenA = await Node.LoginAsync(a);
        var tokenB = await Node.LoginAsync(b);
        await using var alice = await Node.ConnectAsync(tokenA, "im_web");
        await using var alicePhone = await Node.ConnectAsync(tokenA, "im_app_ios");
        await using var bob = await Node.ConnectAsync(tokenB);
        await alice.AckAsync("friend.add", new { account = b });

        var updated = await alice.AckAsync("friend.update", new { account = b, alias = "Bobby" });
        Assert.Equal("Bobby", updated.GetProperty("friend").GetProperty("alias").GetString());
        var synced = (await SyncFriendAsync(alicePhone, "updateFriend")).GetProperty("data");
        Assert.Equal("Bobby", synced.GetProperty("friend").GetProperty("alias").GetString());
        var bobsList = (await bob.AckAsync("friend.list")).GetProperty("friends");
        Assert.Equal("", bobsList[0].GetProperty("alias").GetString());
        Assert.Equal("Bobby", (await alice.AckAsync("friend.list")).GetProperty("friends")[0].GetProperty("alias").GetString());

        await alice.AckAsync("friend.delete", new { account = b });
        Assert.Equal(b, (await SyncFriendAsync(alicePhone, "deleteFriend")).GetProperty("data").GetProperty("account").GetString());
        Assert.Equal(a, (await SyncFriendAsync(bob, "deleteFriend")).GetProperty("data").GetProperty("account").GetString());
        Assert.Equal(a, (await bob.WaitForTypeAsync("sysMsg", f => SysMsg(f, "deleteFriend"))).GetProperty("data").GetProperty("from").GetString());
        Assert.Empty(await FriendIdsAsync(alice));
        Assert.Empty(await FriendIdsAsync(bob));

        await alice.ExpectErrorAsync("friend.delete", new { account = b }, ImErrorCodes.NotFriend);
        await alice.ExpectErrorAsync("friend.update", new { account = b, alias = "x" }, ImErrorCodes.NotFriend);
    }

    [Fact]
    public async Task Someone_who_blacklisted_you_cannot_be_added_or_asked()
    {
        var a = NodeFixture.NewUserId("ba");
        var b = NodeFixture.NewUserId("bb");
        var tokenA = await Node.LoginAsync(a);
        var tokenB = await Node.LoginAsync(b);
        await using var alice = await Node.ConnectAsync(tokenA);
        await using var bob = await Node.ConnectAsync(tokenB);
        await bob.AckAsync("relation.black", new { account = a, add = true });

        await alice.ExpectErrorAsync("friend.add", new { account = b }, ImErrorCodes.BlockedByRecipient);
        await alice.ExpectErrorAsync("friend.add", new { account = b, verify = true }, ImErrorCodes.BlockedByRecipient);
        Assert.Empty(await FriendIdsAsync(alice));
        Assert.Empty(await FriendIdsAsync(bob));
    }

    [Fact]
    public async Task Bad_friend_requests_get_codes_and_the_socket_keeps_working()
    {
        var a = NodeFixture.NewUserId("bf");
        var b = NodeFixture.NewUserId("bf");
        await Node.LoginAsync(b);
        await using var alice = await Node.ConnectAsync(await Node.LoginAsync(a));
        await alice.ExpectErrorAsync("friend.add", new { account = a }, ImErrorCodes.InvalidParameter);
        await alice.ExpectErrorAsync("friend.add", new { account = NodeFixture.NewUserId("ghost") }, ImErrorCodes.UnknownUser);
        await alice.ExpectErrorAsync("friend.add", new { account = "no such id!" }, ImErrorCodes.InvalidUserId);
        await alice.ExpectErrorAsync("friend.add", new { }, ImErrorCodes.MissingParameter);
        await alice.ExpectErrorAsync("friend.add", new { account = b, verify = true, ps = new string('p', 501) }, ImErrorCodes.LimitExceeded);
        await alice.ExpectErrorAsync("friend.accept", new { account = b }, ImErrorCodes.MissingParameter);
        await alice.ExpectErrorAsync("friend.accept", new { account = b, sysmsg_id = "x" }, ImErrorCodes.InvalidParameter);
        await alice.ExpectErrorAsync("friend.update", new { account = b, alias = new string('a', 65) }, ImErrorCodes.LimitExceeded);
        await alice.ExpectErrorAsync("friend.update", new { account = b }, ImErrorCodes.MissingParameter);
        await alice.PingAsync();
        Assert.Empty(await FriendIdsAsync(alice));
    }
}
