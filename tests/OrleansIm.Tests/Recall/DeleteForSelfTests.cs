using System.Net;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Recall;

/// <summary>msg.delete_self and msg.clear_history (seed 002's deleteSelfMsgs / clearServerHistoryMsgs) over real sockets.</summary>
public sealed class DeleteForSelfTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Deleted_messages_disappear_for_that_user_only_and_their_other_device_is_told()
    {
        var (users, tokens, convId) = await ChatSetup.GroupAsync(Node, 2);
        await using var bobWeb = await Node.ConnectAsync(tokens[1], "im_web");
        await using var bobPhone = await Node.ConnectAsync(tokens[1], "im_app_ios");
        await using var alice = await Node.ConnectAsync(tokens[0]);
        var sent = await ChatSetup.SendAsync(alice, convId, 5);

        var ack = await bobWeb.AckAsync("msg.delete_self", new { conv_id = convId, seqs = new[] { 4, 2 }, msg_ids = new[] { sent[1].MsgId, sent[4].MsgId } });

        Assert.Equal(convId, ack.GetProperty("conv_id").GetString());
        Assert.Equal(new long[] { 2, 4, 5 }, ack.GetProperty("seqs").EnumerateArray().Select(s => s.GetInt64()).ToArray());
        var told = (await bobPhone.WaitForTypeAsync("deleteSelfMsgs")).GetProperty("data");
        Assert.Equal(convId, told.GetProperty("conv_id").GetString());
        Assert.Equal(new long[] { 2, 4, 5 }, told.GetProperty("seqs").EnumerateArray().Select(s => s.GetInt64()).ToArray());
        await bobWeb.PingAsync();
        await Assert.ThrowsAsync<TimeoutException>(() => bobWeb.WaitForTypeAsync("deleteSelfMsgs", null, TimeSpan.FromMilliseconds(300)));
        await Assert.ThrowsAsync<TimeoutException>(() => alice.WaitForTypeAsync("deleteSelfMsgs", null, TimeSpan.FromMilliseconds(300)));

        var (page, before, sync) = await ChatSetup.ReadAllAsync(bobPhone, convId);
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Equal(new long[] { 3, 1 }, ChatSetup.Seqs(page.GetProperty("messages")));
        Assert.Equal(new long[] { 3, 1 }, ChatSetup.Seqs(before));
        Assert.Equal(new long[] { 1, 3 }, ChatSetup.Seqs(sync));
        var rest = await ChatSetup.RestListAsync(Node, convId, users[1]);
        Assert.Equal(2, rest.GetProperty("total").GetInt32());

        // Alice, and the server's own view, still have all five.
        var (alicePage, _, aliceSync) = await ChatSetup.ReadAllAsync(alice, convId);
        Assert.Equal(5, alicePage.GetProperty("total").GetInt32());
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, ChatSetup.Seqs(aliceSync));
        Assert.Equal(5, (await ChatSetup.RestListAsync(Node, convId)).GetProperty("total").GetInt32());
        Assert.Equal(5, (await ChatSetup.RestListAsync(Node, convId, users[0])).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Bad_deletes_get_their_codes_and_hide_nothing()
    {
        var (_, tokens, convId) = await ChatSetup.GroupAsync(Node, 2);
        await using var outsider = await Node.ConnectAsync(await Node.LoginAsync(NodeFixture.NewUserId("out")));
        await using var bob = await Node.ConnectAsync(tokens[1]);
        await using var alice = await Node.ConnectAsync(tokens[0]);
        await ChatSetup.SendAsync(alice, convId, 2);

        await bob.ExpectErrorAsync("msg.delete_self", new { conv_id = convId, seqs = new[] { 1, 3 } }, ImErrorCodes.MessageNotFound);
        await bob.ExpectErrorAsync("msg.delete_self", new { conv_id = convId, msg_ids = new[] { "nope" } }, ImErrorCodes.MessageNotFound);
        await bob.ExpectErrorAsync("msg.delete_self", new { conv_id = convId }, ImErrorCodes.MissingParameter);
        await bob.ExpectErrorAsync("msg.delete_self", new { conv_id = convId, seqs = new int[0] }, ImErrorCodes.MissingParameter);
        await bob.ExpectErrorAsync("msg.delete_self", new { conv_id = convId, seqs = new[] { 0 } }, ImErrorCodes.InvalidParameter);
        await bob.ExpectErrorAsync("msg.delete_self", new { conv_id = convId, seqs = "1" }, ImErrorCodes.InvalidParameter);
        await bob.ExpectErrorAsync("msg.delete_self", new { conv_id = convId, seqs = Enumerable.Range(1, MessageLimits.MaxDeleteSelfIds + 1) }, ImErrorCodes.LimitExceeded);
        await bob.ExpectErrorAsync("msg.delete_self",
            new { conv_id = convId, seqs = Enumerable.Range(1, 60), msg_ids = Enumerable.Range(1, 41).Select(i => $"m{i}") }, ImErrorCodes.LimitExceeded);
        await outsider.ExpectErrorAsync("msg.delete_self", new { conv_id = convId, seqs = new[] { 1 } }, ImErrorCodes.NotMember);
        await outsider.ExpectErrorAsync("msg.clear_history", new { conv_id = convId }, ImErrorCodes.NotMember);

        Assert.Equal(2, (await bob.AckAsync("msg.history", new { conv_id = convId })).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Clearing_hides_everything_up_to_now_for_that_user_and_later_messages_show()
    {
        var (users, tokens, convId) = await ChatSetup.GroupAsync(Node, 2);
        await using var bobWeb = await Node.ConnectAsync(tokens[1], "im_web");
        await using var bobMac = await Node.ConnectAsync(tokens[1], "im_pc_mac");
        await using var alice = await Node.ConnectAsync(tokens[0]);
        await ChatSetup.SendAsync(alice, convId, 3);

        var ack = await bobWeb.AckAsync("msg.clear_history", new { conv_id = convId });

        Assert.Equal(3, ack.GetProperty("cleared_seq").GetInt64());
        var told = (await bobMac.WaitForTypeAsync("clearServerHistoryMsgs")).GetProperty("data");
        Assert.Equal(convId, told.GetProperty("conv_id").GetString());
        Assert.Equal(3, told.GetProperty("cleared_seq").GetInt64());
        // What was cleared is read: the other device hears unread 0, and the session list says so.
        var update = (await bobMac.WaitForTypeAsync("updateSession", f => f.GetProperty("data").GetProperty("conv_id").GetString() == convId)).GetProperty("data");
        Assert.Equal((0, 3L), (update.GetProperty("unread").GetInt32(), update.GetProperty("last_read_seq").GetInt64()));
        var session = (await bobWeb.AckAsync("session.list")).GetProperty("sessions").EnumerateArray().Single(r => r.GetProperty("conv_id").GetString() == convId);
        Assert.Equal(0, session.GetProperty("unread").GetInt32());
        var (page, before, sync) = await ChatSetup.ReadAllAsync(bobMac, convId);
        Assert.Equal(0, page.GetProperty("total").GetInt32());
        Assert.Equal(0, before.GetArrayLength());
        Assert.Equal(0, sync.GetArrayLength());

        await ChatSetup.SendAsync(alice, convId, 2, "after");
        (page, before, sync) = await ChatSetup.ReadAllAsync(bobWeb, convId);
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Equal(new long[] { 5, 4 }, ChatSetup.Seqs(before));
        Assert.Equal(new long[] { 4, 5 }, ChatSetup.Seqs(sync));
        Assert.Equal("after1", sync[0].GetProperty("text").GetString());
        Assert.Equal(2, (await ChatSetup.RestListAsync(Node, convId, users[1])).GetProperty("total").GetInt32());
        Assert.Equal(5, (await ChatSetup.RestListAsync(Node, convId, users[0])).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_server_api_deletes_and_clears_for_a_member()
    {
        var (users, tokens, convId) = await ChatSetup.GroupAsync(Node, 2);
        await using var bob = await Node.ConnectAsync(tokens[1]);
        await using var alice = await Node.ConnectAsync(tokens[0]);
        await ChatSetup.SendAsync(alice, convId, 4);

        var (status, deleted) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message/delete_self",
            JsonSerializer.Serialize(new { client_id = users[1], seqs = new[] { 4 } }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, deleted.GetProperty("data").GetProperty("seqs")[0].GetInt64());
        await bob.WaitForTypeAsync("deleteSelfMsgs");

        var (clearStatus, cleared) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message/clear_history",
            JsonSerializer.Serialize(new { client_id = users[1] }));
        Assert.Equal(HttpStatusCode.OK, clearStatus);
        Assert.Equal(4, cleared.GetProperty("data").GetProperty("cleared_seq").GetInt64());
        await bob.WaitForTypeAsync("clearServerHistoryMsgs");
        Assert.Equal(0, (await ChatSetup.RestListAsync(Node, convId, users[1])).GetProperty("total").GetInt32());

        var outsider = NodeFixture.NewUserId("out");
        await Node.LoginAsync(outsider);
        var refused = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message/clear_history",
            JsonSerializer.Serialize(new { client_id = outsider }));
        Assert.Equal((HttpStatusCode.Forbidden, ImErrorCodes.NotMember), (refused.Status, refused.Body.GetProperty("code").GetInt32()));
        var list = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/message?client_id={outsider}");
        Assert.Equal(ImErrorCodes.NotMember, list.Body.GetProperty("code").GetInt32());
    }
}
