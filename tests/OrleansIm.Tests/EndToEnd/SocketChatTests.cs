using System.Net;
using System.Text.Json;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

public sealed class SocketChatTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private async Task<(string A, string TokenA, string B, string TokenB, string ConvId)> SetupAsync()
    {
        var a = NodeFixture.NewUserId("alice");
        var b = NodeFixture.NewUserId("bob");
        var tokenA = await Node.LoginAsync(a);
        var tokenB = await Node.LoginAsync(b);
        var (status, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 1 }));
        Assert.Equal(HttpStatusCode.OK, status);
        return (a, tokenA, b, tokenB, created.GetProperty("data").GetProperty("conv_id").GetString()!);
    }

    [Fact]
    public async Task Two_users_chat_both_ways_with_seed_msg_new_fields()
    {
        var (a, tokenA, b, tokenB, convId) = await SetupAsync();
        await using var alice = await Node.ConnectAsync(tokenA, "im_web");
        await using var bob = await Node.ConnectAsync(tokenB, "im_app_ios", viaQuery: true);

        var login = await alice.RequestAsync("login", new { app_id = "666666", client_id = a, device_id = "1111", ext = new { nickname = "liliSara" } });
        Assert.Equal("login.success", login.GetProperty("type").GetString());
        Assert.Equal("success", login.GetProperty("msg").GetString());
        Assert.True(login.GetProperty("data").GetProperty("time").GetInt64() > 0);

        var ack = await alice.AckAsync("msg.send", new { conv_id = convId, client_msg_id = "c-1", type = -1, text = "HELLO !", attr = new { k = 1 } });
        Assert.Equal(convId, ack.GetProperty("conv_id").GetString());
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        Assert.False(ack.GetProperty("duplicate").GetBoolean());
        var msgId = ack.GetProperty("msg_id").GetString();

        var push = (await bob.WaitForTypeAsync("msg.new")).GetProperty("data");
        Assert.Equal(a, push.GetProperty("from_client").GetString());
        Assert.Equal(convId, push.GetProperty("conv_id").GetString());
        Assert.Equal(msgId, push.GetProperty("msg_id").GetString());
        Assert.True(push.GetProperty("ctime").GetInt64() > 0);
        Assert.Equal(-1, push.GetProperty("type").GetInt32());
        Assert.Equal("HELLO !", push.GetProperty("text").GetString());
        Assert.Equal(1, push.GetProperty("attr").GetProperty("k").GetInt32());
        Assert.Equal(JsonValueKind.Null, push.GetProperty("url").ValueKind);
        Assert.Equal(0, push.GetProperty("transient").GetInt32());
        Assert.Equal(0, push.GetProperty("mention_all").GetInt32());
        Assert.True(push.TryGetProperty("mention_client_ids", out _));
        Assert.Equal(1, push.GetProperty("seq").GetInt64());
        Assert.Equal("c-1", push.GetProperty("client_msg_id").GetString());

        var reply = await bob.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "hi back", from_client = a });
        Assert.Equal(2, reply.GetProperty("seq").GetInt64());
        var back = (await alice.WaitForTypeAsync("msg.new", f => f.GetProperty("data").GetProperty("seq").GetInt64() == 2)).GetProperty("data");
        // The sender is the token's user; a from_client field in the frame is ignored.
        Assert.Equal(b, back.GetProperty("from_client").GetString());
        Assert.Equal("hi back", back.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Pipelined_sends_keep_their_order_and_each_gets_one_reply()
    {
        var (_, tokenA, _, tokenB, convId) = await SetupAsync();
        await using var alice = await Node.ConnectAsync(tokenA);
        await using var bob = await Node.ConnectAsync(tokenB, "im_app_android");

        // Fire 60 sends without waiting for any ack, as a pipelining client does.
        const int count = 60;
        for (var i = 1; i <= count; i++)
        {
            await alice.SendTextAsync(JsonSerializer.Serialize(new
            {
                type = "msg.send", id = $"p{i}", data = new { conv_id = convId, client_msg_id = $"cm{i}", type = -1, text = $"t{i}" },
            }));
        }

        var seqByFrame = new Dictionary<string, long>();
        for (var i = 0; i < count; i++)
        {
            var ack = await alice.WaitForTypeAsync("msg.send.ack");
            seqByFrame.Add(ack.GetProperty("id").GetString()!, ack.GetProperty("data").GetProperty("seq").GetInt64());
        }
        // Every frame answered exactly once, and seq follows the order the frames were sent in.
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), Enumerable.Range(1, count).Select(i => seqByFrame[$"p{i}"]));

        var pushed = new List<string>();
        for (var i = 0; i < count; i++) pushed.Add((await bob.WaitForTypeAsync("msg.new")).GetProperty("data").GetProperty("text").GetString()!);
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"t{i}"), pushed);
    }

    [Fact]
    public async Task A_bad_frame_among_pipelined_sends_fails_alone_and_the_rest_keep_their_order()
    {
        var (_, tokenA, _, tokenB, convId) = await SetupAsync();
        await using var alice = await Node.ConnectAsync(tokenA);
        await using var bob = await Node.ConnectAsync(tokenB, "im_app_android");

        const int count = 40;
        for (var i = 1; i <= count; i++)
        {
            var text = i == 20 ? new string('x', 5001) : $"t{i}"; // frame 20 is over the text limit
            await alice.SendTextAsync(JsonSerializer.Serialize(new
            {
                type = "msg.send", id = $"p{i}", data = new { conv_id = convId, client_msg_id = $"bad{i}", type = -1, text },
            }));
        }

        var seqByFrame = new Dictionary<string, long>();
        JsonElement? error = null;
        for (var i = 0; i < count; i++)
        {
            var reply = await alice.WaitForAsync(f => f.GetProperty("type").GetString() is "msg.send.ack" or "error");
            if (reply.GetProperty("type").GetString() == "error") error = reply;
            else seqByFrame.Add(reply.GetProperty("id").GetString()!, reply.GetProperty("data").GetProperty("seq").GetInt64());
        }
        Assert.Equal("p20", error!.Value.GetProperty("id").GetString());
        Assert.Equal(4013, error.Value.GetProperty("code").GetInt32());
        var good = Enumerable.Range(1, count).Where(i => i != 20).ToList();
        Assert.Equal(Enumerable.Range(1, count - 1).Select(i => (long)i), good.Select(i => seqByFrame[$"p{i}"]));

        var pushed = new List<string>();
        for (var i = 0; i < count - 1; i++) pushed.Add((await bob.WaitForTypeAsync("msg.new")).GetProperty("data").GetProperty("text").GetString()!);
        Assert.Equal(good.Select(i => $"t{i}"), pushed);
    }

    [Fact]
    public async Task History_pages_and_cursors()
    {
        var (_, tokenA, _, _, convId) = await SetupAsync();
        await using var alice = await Node.ConnectAsync(tokenA);
        for (var i = 1; i <= 25; i++) await alice.AckAsync("msg.send", new { conv_id = convId, type = -1, text = $"m{i}" });

        var first = await alice.AckAsync("msg.history", new { conv_id = convId, page = 1, size = 10 });
        Assert.Equal(25, first.GetProperty("total").GetInt32());
        Assert.Equal(3, first.GetProperty("last_page").GetInt32());
        Assert.Equal(Enumerable.Range(16, 10).Reverse().Select(i => (long)i), first.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        var last = await alice.AckAsync("msg.history", new { conv_id = convId, page = 3, size = 10 });
        Assert.Equal(Enumerable.Range(1, 5).Reverse().Select(i => (long)i), last.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));

        var before = await alice.AckAsync("msg.history", new { conv_id = convId, before_seq = 10, limit = 3 });
        Assert.Equal(new long[] { 9, 8, 7 }, before.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        var after = await alice.AckAsync("msg.history", new { conv_id = convId, after_seq = 22, limit = 10 });
        Assert.Equal(new long[] { 23, 24, 25 }, after.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.False(after.GetProperty("has_more").GetBoolean());

        var sync = await alice.AckAsync("msg.sync", new { cursors = new Dictionary<string, long> { [convId] = 20 }, limit = 3 });
        var entry = sync.GetProperty("conversations")[0];
        Assert.Equal(new long[] { 21, 22, 23 }, entry.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.True(entry.GetProperty("has_more").GetBoolean());

        await alice.AckAsync("msg.read", new { conv_id = convId, seq = 25 });
        var list = await alice.AckAsync("conv.list");
        var cursor = list.GetProperty("conversations").EnumerateArray().Single(c => c.GetProperty("conv_id").GetString() == convId);
        Assert.Equal(25, cursor.GetProperty("last_read_seq").GetInt64());
    }

    [Fact]
    public async Task Resend_with_same_client_msg_id_is_not_duplicated()
    {
        var (_, tokenA, _, _, convId) = await SetupAsync();
        await using var alice = await Node.ConnectAsync(tokenA);
        var first = await alice.AckAsync("msg.send", new { conv_id = convId, client_msg_id = "same-1", type = -1, text = "once" });
        var second = await alice.AckAsync("msg.send", new { conv_id = convId, client_msg_id = "same-1", type = -1, text = "once" });
        Assert.Equal(first.GetProperty("msg_id").GetString(), second.GetProperty("msg_id").GetString());
        Assert.Equal(first.GetProperty("seq").GetInt64(), second.GetProperty("seq").GetInt64());
        Assert.True(second.GetProperty("duplicate").GetBoolean());

        var history = await alice.AckAsync("msg.history", new { conv_id = convId });
        Assert.Equal(1, history.GetProperty("total").GetInt32());
    }
}
