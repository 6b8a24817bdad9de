using System.Net;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Recall;

/// <summary>msg.recall by the sender and the server API's recall, over real sockets and HTTP against a real node.</summary>
public sealed class RecallTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static bool IsRecallOf(JsonElement frame, long seq) =>
        frame.GetProperty("data").GetProperty("type").GetString() == "deleteMsg" && frame.GetProperty("data").GetProperty("seq").GetInt64() == seq;

    [Fact]
    public async Task A_recall_within_the_window_reaches_every_members_devices_and_every_read_shows_it_recalled()
    {
        var (users, tokens, convId) = await ChatSetup.GroupAsync(Node, 3);
        await using var aliceWeb = await Node.ConnectAsync(tokens[0], "im_web");
        await using var aliceMac = await Node.ConnectAsync(tokens[0], "im_pc_mac");
        await using var bob = await Node.ConnectAsync(tokens[1], "im_app_ios");
        await using var carol = await Node.ConnectAsync(tokens[2], "im_app_android");
        var sent = await ChatSetup.SendAsync(aliceWeb, convId, 3);
        await bob.WaitForTypeAsync("msg.new", f => f.GetProperty("data").GetProperty("seq").GetInt64() == 3);

        var ack = await aliceWeb.AckAsync("msg.recall", new { conv_id = convId, seq = 2 });

        Assert.Equal(convId, ack.GetProperty("conv_id").GetString());
        Assert.Equal(sent[1].MsgId, ack.GetProperty("msg_id").GetString());
        Assert.Equal(2, ack.GetProperty("seq").GetInt64());
        Assert.True(ack.GetProperty("recalled").GetBoolean());
        foreach (var device in new[] { aliceMac, bob, carol })
        {
            var data = (await device.WaitForTypeAsync("sysMsg", f => IsRecallOf(f, 2))).GetProperty("data");
            Assert.Equal(convId, data.GetProperty("conv_id").GetString());
            Assert.Equal(sent[1].MsgId, data.GetProperty("msg_id").GetString());
            Assert.Equal(users[0], data.GetProperty("from_client").GetString());
            Assert.Equal(users[0], data.GetProperty("ope_client").GetString());
            Assert.True(data.GetProperty("time").GetInt64() >= data.GetProperty("msg_time").GetInt64());
        }
        // The recalling connection has its ack instead: a frame sent after the recall arrives with no sysMsg before it.
        await aliceWeb.PingAsync();
        await Assert.ThrowsAsync<TimeoutException>(() => aliceWeb.WaitForTypeAsync("sysMsg", null, TimeSpan.FromMilliseconds(300)));

        foreach (var reader in new[] { bob, aliceWeb })
        {
            var (page, before, sync) = await ChatSetup.ReadAllAsync(reader, convId);
            Assert.Equal(3, page.GetProperty("total").GetInt32());
            Assert.Equal(new long[] { 3, 2, 1 }, ChatSetup.Seqs(page.GetProperty("messages")));
            Assert.Equal(new long[] { 3, 2, 1 }, ChatSetup.Seqs(before));
            Assert.Equal(new long[] { 1, 2, 3 }, ChatSetup.Seqs(sync));
            foreach (var row in new[] { page.GetProperty("messages")[1], before[1], sync[1] })
            {
                Assert.True(row.GetProperty("recalled").GetBoolean());
                Assert.Equal(JsonValueKind.Null, row.GetProperty("text").ValueKind);
                Assert.Equal(sent[1].MsgId, row.GetProperty("msg_id").GetString());
            }
            Assert.Equal("t3", sync[2].GetProperty("text").GetString());
            Assert.False(sync[2].GetProperty("recalled").GetBoolean());
        }
        var rest = await ChatSetup.RestListAsync(Node, convId);
        Assert.Equal(3, rest.GetProperty("total").GetInt32());
        var restRow = rest.GetProperty("data")[1];
        Assert.Equal(2, restRow.GetProperty("seq").GetInt64());
        Assert.True(restRow.GetProperty("recalled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, restRow.GetProperty("text").ValueKind);

        // Recall goes in the conversation's turn: the next send simply takes the next seq.
        Assert.Equal(4, (await ChatSetup.SendAsync(aliceWeb, convId, 1))[0].Seq);
    }

    [Fact]
    public async Task A_message_can_be_named_by_msg_id()
    {
        var (_, tokens, convId) = await ChatSetup.GroupAsync(Node, 2);
        await using var alice = await Node.ConnectAsync(tokens[0]);
        await using var bob = await Node.ConnectAsync(tokens[1]);
        var sent = await ChatSetup.SendAsync(alice, convId, 2);

        var ack = await alice.AckAsync("msg.recall", new { conv_id = convId, msg_id = sent[0].MsgId });

        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        await bob.WaitForTypeAsync("sysMsg", f => IsRecallOf(f, 1));
        // seq and msg_id together must name the same message.
        await alice.ExpectErrorAsync("msg.recall", new { conv_id = convId, seq = 2, msg_id = sent[0].MsgId }, ImErrorCodes.MessageNotFound);
    }

    [Fact]
    public async Task Recalls_that_are_not_allowed_get_their_codes()
    {
        var (_, tokens, convId) = await ChatSetup.GroupAsync(Node, 2);
        var outsiderToken = await Node.LoginAsync(NodeFixture.NewUserId("out"));
        await using var alice = await Node.ConnectAsync(tokens[0]);
        await using var bob = await Node.ConnectAsync(tokens[1]);
        await using var outsider = await Node.ConnectAsync(outsiderToken);
        var sent = await ChatSetup.SendAsync(alice, convId, 1);
        var transient = await alice.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "gone", transient = 1 });
        Assert.Equal(0, transient.GetProperty("seq").GetInt64());

        await bob.ExpectErrorAsync("msg.recall", new { conv_id = convId, seq = 1 }, ImErrorCodes.NotMessageSender);
        await outsider.ExpectErrorAsync("msg.recall", new { conv_id = convId, seq = 1 }, ImErrorCodes.NotMember);
        await alice.ExpectErrorAsync("msg.recall", new { conv_id = "0000000000000000000000000000dead", seq = 1 }, ImErrorCodes.NotMember);
        await alice.ExpectErrorAsync("msg.recall", new { conv_id = convId, seq = 2 }, ImErrorCodes.MessageNotFound);
        await alice.ExpectErrorAsync("msg.recall", new { conv_id = convId, msg_id = "no-such-message" }, ImErrorCodes.MessageNotFound);
        // A transient message was never stored: there is nothing to recall.
        await alice.ExpectErrorAsync("msg.recall", new { conv_id = convId, msg_id = transient.GetProperty("msg_id").GetString() }, ImErrorCodes.MessageNotFound);
        await alice.ExpectErrorAsync("msg.recall", new { conv_id = convId }, ImErrorCodes.MissingParameter);
        await alice.ExpectErrorAsync("msg.recall", new { conv_id = convId, seq = -1 }, ImErrorCodes.InvalidParameter);
        await alice.ExpectErrorAsync("msg.recall", new { conv_id = convId, seq = "x" }, ImErrorCodes.InvalidParameter);

        await alice.AckAsync("msg.recall", new { conv_id = convId, seq = 1 });
        await alice.ExpectErrorAsync("msg.recall", new { conv_id = convId, seq = 1 }, ImErrorCodes.AlreadyRecalled);
        Assert.Equal(sent[0].MsgId, (await ChatSetup.RestListAsync(Node, convId)).GetProperty("data")[0].GetProperty("msg_id").GetString());
    }

    [Fact]
    public async Task The_server_api_recalls_any_message_and_members_are_told()
    {
        var (users, tokens, convId) = await ChatSetup.GroupAsync(Node, 2);
        await using var alice = await Node.ConnectAsync(tokens[0]);
        await using var bob = await Node.ConnectAsync(tokens[1]);
        var sent = await ChatSetup.SendAsync(bob, convId, 2);

        var (status, body) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message/recall",
            JsonSerializer.Serialize(new { msg_id = sent[1].MsgId }), headers: ("request-id", "rq-1"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("code").GetInt32());
        Assert.Equal("rq-1", body.GetProperty("request-id").GetString());
        Assert.Equal(2, body.GetProperty("data").GetProperty("seq").GetInt64());
        Assert.True(body.GetProperty("data").GetProperty("recalled").GetBoolean());
        foreach (var device in new[] { alice, bob })
        {
            var data = (await device.WaitForTypeAsync("sysMsg", f => IsRecallOf(f, 2))).GetProperty("data");
            Assert.Equal(users[1], data.GetProperty("from_client").GetString());
            Assert.Equal(JsonValueKind.Null, data.GetProperty("ope_client").ValueKind);
        }
        var history = await alice.AckAsync("msg.history", new { conv_id = convId, after_seq = 1 });
        Assert.True(history.GetProperty("messages")[0].GetProperty("recalled").GetBoolean());

        var again = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message/recall", """{"seq":2}""");
        Assert.Equal((HttpStatusCode.Conflict, ImErrorCodes.AlreadyRecalled), (again.Status, again.Body.GetProperty("code").GetInt32()));
        var unknown = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message/recall", """{"seq":9}""");
        Assert.Equal((HttpStatusCode.NotFound, ImErrorCodes.MessageNotFound), (unknown.Status, unknown.Body.GetProperty("code").GetInt32()));
        var noConversation = await Node.ApiAsync(HttpMethod.Post, "/im/conversations/0000000000000000000000000000beef/message/recall", """{"seq":1}""");
        Assert.Equal(ImErrorCodes.ConversationNotFound, noConversation.Body.GetProperty("code").GetInt32());
        var noKey = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message/recall", """{"seq":1}""", appKey: "wrong");
        Assert.Equal(ImErrorCodes.Unauthorized, noKey.Body.GetProperty("code").GetInt32());
        var missing = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message/recall", "{}");
        Assert.Equal(ImErrorCodes.MissingParameter, missing.Body.GetProperty("code").GetInt32());
        // Nothing was recalled by the refused calls.
        Assert.False((await ChatSetup.RestListAsync(Node, convId)).GetProperty("data")[1].GetProperty("recalled").GetBoolean());
    }
}
