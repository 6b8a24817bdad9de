using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;
using static OrleansIm.Tests.Sessions.SessionClient;

namespace OrleansIm.Tests.Sessions;

/// <summary>The login sync (sync → syncMyNameCard, sessions, syncOfflineMsgs, syncRoamingMsgs, syncdone) over real sockets.</summary>
public sealed class LoginSyncTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    /// <summary>alice sends 5 messages to bob, bob reads up to 2: returns (bob's token, bob, conv).</summary>
    private static async Task<(string TokenB, string B, string ConvId)> FiveMessagesTwoReadAsync(TestNode node)
    {
        var a = NodeFixture.NewUserId("alice");
        var b = NodeFixture.NewUserId("bob");
        var tokenA = await node.LoginAsync(a);
        var tokenB = await node.LoginAsync(b, "Bobby");
        var convId = await CreateConversationAsync(node, a, ConversationTypes.Private, b);
        await using var alice = await node.ConnectAsync(tokenA);
        await SendAsync(alice, convId, 5);
        await using var bob = await node.ConnectAsync(tokenB);
        await bob.AckAsync("msg.read", new { conv_id = convId, seq = 2 });
        return (tokenB, b, convId);
    }

    [Fact]
    public async Task Sync_sends_profile_sessions_offline_and_roaming_in_order_then_syncdone()
    {
        var (tokenB, b, convId) = await FiveMessagesTwoReadAsync(Node);
        await using var bob = await Node.ConnectAsync(tokenB, "im_app_ios");

        var frames = await SyncAsync(bob, new { roamingMsgs = true, roamingLimit = 2, superTeams = true, sysMsgs = false });

        Assert.Equal(["syncMyNameCard", "sessions", "syncOfflineMsgs", "syncRoamingMsgs", "syncdone"],
            frames.Select(f => f.GetProperty("type").GetString()).ToList());
        var card = Data(frames, "syncMyNameCard");
        Assert.Equal(b, card.GetProperty("id").GetString());
        Assert.Equal("Bobby", card.GetProperty("nickname").GetString());
        var session = Session(Data(frames, "sessions"), convId);
        Assert.Equal(3, session.GetProperty("unread").GetInt32());
        Assert.Equal(5, session.GetProperty("last_msg").GetProperty("seq").GetInt64());
        // Offline: what came after the read cursor (no device cursor given); roaming: the last 2 up to it.
        Assert.Equal([3L, 4L, 5L], SyncedSeqs(Data(frames, "syncOfflineMsgs"), convId));
        Assert.Equal([1L, 2L], SyncedSeqs(Data(frames, "syncRoamingMsgs"), convId));

        var done = frames[^1];
        Assert.Equal("s1", done.GetProperty("id").GetString()); // syncdone is the reply to the sync frame
        var doneData = done.GetProperty("data");
        Assert.False(doneData.GetProperty("has_more").GetBoolean());
        Assert.False(doneData.GetProperty("truncated").GetBoolean());
        Assert.Equal(5, doneData.GetProperty("cursors").GetProperty(convId).GetInt64());
        Assert.Equal(["superTeams"], doneData.GetProperty("skipped").EnumerateArray().Select(s => s.GetString()).ToList());
        Assert.Empty(doneData.GetProperty("offline_more").EnumerateArray());
    }

    [Fact]
    public async Task The_devices_cursors_choose_the_offline_part_and_options_leave_parts_out()
    {
        var (tokenB, _, convId) = await FiveMessagesTwoReadAsync(Node);
        await using var bob = await Node.ConnectAsync(tokenB, "im_pc_mac");

        var frames = await SyncAsync(bob, new { myInfo = false, sessions = 0, roamingMsgs = 1, roamingLimit = 3, cursors = new Dictionary<string, long> { [convId] = 4 } });

        Assert.Equal(["syncOfflineMsgs", "syncRoamingMsgs", "syncdone"], MessageFrameTypes(frames));
        Assert.Equal([5L], SyncedSeqs(Data(frames, "syncOfflineMsgs"), convId));
        Assert.Equal([2L, 3L, 4L], SyncedSeqs(Data(frames, "syncRoamingMsgs"), convId));
    }

    [Fact]
    public async Task Bad_sync_options_get_documented_codes()
    {
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(NodeFixture.NewUserId("bad")));
        await socket.ExpectErrorAsync("sync", new { offlineMsg = true }, ImErrorCodes.InvalidParameter); // a typo is not ignored
        await socket.ExpectErrorAsync("sync", new { cursors = new[] { 1 } }, ImErrorCodes.InvalidParameter);
        await socket.ExpectErrorAsync("sync", new { roamingLimit = 101 }, ImErrorCodes.LimitExceeded);
        await socket.ExpectErrorAsync("sync", new { sessionLimit = 101 }, ImErrorCodes.LimitExceeded);
        var empty = await SyncAsync(socket, new { });
        Assert.Equal(["syncMyNameCard", "sessions", "syncOfflineMsgs", "syncdone"], MessageFrameTypes(empty));
    }

    [Fact]
    public async Task A_sync_past_the_message_limit_ends_with_has_more_and_cursors_that_msg_sync_continues()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Gateway:MaxSyncMessages"] = "2" });
        var (tokenB, _, convId) = await FiveMessagesTwoReadAsync(node);
        await using var bob = await node.ConnectAsync(tokenB);

        var frames = await SyncAsync(bob, new { });

        Assert.Equal([3L, 4L], SyncedSeqs(Data(frames, "syncOfflineMsgs"), convId));
        var done = Data(frames, "syncdone");
        Assert.True(done.GetProperty("has_more").GetBoolean());
        Assert.Equal([convId], done.GetProperty("offline_more").EnumerateArray().Select(c => c.GetString()).ToList());
        var cursor = done.GetProperty("cursors").GetProperty(convId).GetInt64();
        Assert.Equal(4, cursor);

        var rest = await bob.AckAsync("msg.sync", new { cursors = new Dictionary<string, long> { [convId] = cursor } });
        Assert.Equal([5L], Seqs(rest.GetProperty("conversations")[0].GetProperty("messages")));
    }

    [Fact]
    public async Task A_sync_past_the_reply_bytes_is_truncated_with_has_more()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Gateway:MaxReplyBytes"] = "600" });
        var (tokenB, _, convId) = await FiveMessagesTwoReadAsync(node);
        await using var bob = await node.ConnectAsync(tokenB);

        var frames = await SyncAsync(bob, new { });

        // The session's last message spends the budget first; offline gets at least nothing more than fits.
        var done = Data(frames, "syncdone");
        Assert.True(done.GetProperty("truncated").GetBoolean());
        Assert.True(done.GetProperty("has_more").GetBoolean());
        var cursor = done.GetProperty("cursors").GetProperty(convId).GetInt64();
        Assert.True(cursor < 5);
        var offline = Data(frames, "syncOfflineMsgs").GetProperty("conversations").EnumerateArray()
            .Where(c => c.GetProperty("conv_id").GetString() == convId).SelectMany(c => Seqs(c.GetProperty("messages"))).ToList();
        Assert.Equal(Enumerable.Range(3, (int)cursor - 2).Select(i => (long)i).ToList(), offline);
    }

    [Fact]
    public async Task A_restarted_node_syncs_the_same_sessions_messages_and_receipts()
    {
        await using var node = await TestNode.StartAsync();
        var (tokenB, _, convId) = await FiveMessagesTwoReadAsync(node);
        List<JsonElement> before;
        await using (var bob = await node.ConnectAsync(tokenB))
        {
            before = await SyncAsync(bob, new { roamingMsgs = 1 });
            await Eventually.True(async () => (await bob.AckAsync("msg.receipts", new { conv_id = convId, seqs = new[] { 2 } }))
                .GetProperty("receipts")[0].GetProperty("read").GetInt32() == 1);
        }

        await node.RestartAsync();

        await using var again = await node.ConnectAsync(tokenB);
        var after = await SyncAsync(again, new { roamingMsgs = 1 });
        Assert.Equal(Summary(before), Summary(after));
        // Read positions were written when the conversation deactivated with the node.
        var receipt = (await again.AckAsync("msg.receipts", new { conv_id = convId, seqs = new[] { 2, 3 } })).GetProperty("receipts");
        Assert.Equal(1, receipt[0].GetProperty("read").GetInt32());
        Assert.Equal(0, receipt[1].GetProperty("read").GetInt32());
    }

    /// <summary>The parts of a sync that must survive a restart (not its time).</summary>
    private static string Summary(List<JsonElement> frames) => string.Join("\n", frames.Select(f =>
    {
        var type = f.GetProperty("type").GetString();
        var data = f.GetProperty("data");
        return type == "syncdone" ? $"{type} {data.GetProperty("cursors")} {data.GetProperty("has_more")}" : $"{type} {data}";
    }));

    /// <summary>The frame types of this feature's parts, in order: other features' sections (on by default) are left out.</summary>
    private static List<string?> MessageFrameTypes(IEnumerable<JsonElement> frames) =>
        frames.Select(f => f.GetProperty("type").GetString())
            .Where(t => t is "syncMyNameCard" or "sessions" or "syncOfflineMsgs" or "syncRoamingMsgs" or "syncdone").ToList();
}
