using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// msg.sync and msg.history replies are bounded in bytes (Gateway:MaxReplyBytes): what fits is returned, truncated
/// says the cap cut it and has_more says to page on, and paging on returns every message exactly once. Keys and ids
/// cannot be repeated to multiply a reply.
/// </summary>
public sealed class ReplyLimitsTests : IAsyncLifetime
{
    private const int ReplyBytes = 4000;

    // A row of about 1.3 KB: three fit in one reply.
    private static readonly string Text = new('x', 1000);

    private TestNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Gateway:MaxReplyBytes"] = ReplyBytes.ToString() });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task History_stops_at_the_byte_cap_and_paging_on_returns_every_message_once()
    {
        var (socket, convIds) = await ConversationsWithMessagesAsync(1, 10);
        await using var _ = socket;

        var seqs = new List<long>();
        var after = 0L;
        for (var pages = 0; pages < 10; pages++)
        {
            var reply = await socket.AckAsync("msg.history", new { conv_id = convIds[0], after_seq = after, limit = 100 });
            var messages = reply.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToList();
            var more = reply.GetProperty("has_more").GetBoolean();
            Assert.Equal(more, reply.GetProperty("truncated").GetBoolean()); // 10 < limit: only the byte cap cuts here
            Assert.InRange(GatewayBytes(reply.GetProperty("messages")), 1, ReplyBytes);
            seqs.AddRange(messages);
            if (!more) break;
            after = messages[^1];
        }
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task History_pages_say_when_the_byte_cap_cut_them()
    {
        var (socket, convIds) = await ConversationsWithMessagesAsync(1, 10);
        await using var _ = socket;
        var reply = await socket.AckAsync("msg.history", new { conv_id = convIds[0], page = 1, size = 10 });
        Assert.True(reply.GetProperty("truncated").GetBoolean());
        Assert.Equal(10, reply.GetProperty("per_page").GetInt32());
        Assert.InRange(reply.GetProperty("messages").GetArrayLength(), 1, 9);
    }

    [Fact]
    public async Task A_message_bigger_than_the_cap_is_still_delivered_alone()
    {
        var (socket, convIds) = await ConversationsWithMessagesAsync(1, 2, new string('y', 4500));
        await using var _ = socket;
        var reply = await socket.AckAsync("msg.history", new { conv_id = convIds[0], after_seq = 0, limit = 100 });
        Assert.Single(reply.GetProperty("messages").EnumerateArray());
        Assert.True(reply.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Sync_spends_the_cap_in_cursor_order_and_syncing_again_returns_the_rest()
    {
        var (socket, convIds) = await ConversationsWithMessagesAsync(3, 4);
        await using var _ = socket;

        var cursors = convIds.ToDictionary(id => id, _ => 0L);
        var seen = convIds.ToDictionary(id => id, _ => new List<long>());
        for (var rounds = 0; rounds < 12; rounds++)
        {
            var sync = await socket.AckAsync("msg.sync", new { cursors, limit = 100 });
            var more = false;
            foreach (var c in sync.GetProperty("conversations").EnumerateArray())
            {
                var id = c.GetProperty("conv_id").GetString()!;
                var seqs = c.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToList();
                seen[id].AddRange(seqs);
                if (seqs.Count > 0) cursors[id] = seqs[^1];
                more |= c.GetProperty("has_more").GetBoolean();
            }
            if (rounds == 0) Assert.True(sync.GetProperty("truncated").GetBoolean()); // 12 rows of 1.3 KB do not fit in 4 KB
            if (!more) break;
        }
        Assert.All(convIds, id => Assert.Equal([1L, 2, 3, 4], seen[id]));
    }

    [Fact]
    public async Task A_key_repeated_in_one_object_is_refused_in_any_frame()
    {
        var (socket, convIds) = await ConversationsWithMessagesAsync(1, 1);
        await using var _ = socket;
        var conv = JsonSerializer.Serialize(convIds[0]);
        await socket.SendTextAsync("{\"type\":\"msg.history\",\"id\":\"dup\",\"data\":{\"conv_id\":" + conv + ",\"conv_id\":" + conv + "}}");
        var reply = await socket.WaitForAsync(f => f.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == "dup");
        ImSocket.AssertError(reply, ImErrorCodes.InvalidParameter);
        Assert.Contains("'conv_id'", reply.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Presence_ids_given_twice_are_answered_once()
    {
        var (socket, _) = await ConversationsWithMessagesAsync(0, 0);
        await using var __ = socket;
        var other = NodeFixture.NewUserId("reply");
        await _node.LoginAsync(other);
        var reply = await socket.AckAsync("presence.query", new { user_ids = Enumerable.Repeat(other, 200).ToArray() });
        Assert.Single(reply.GetProperty("users").EnumerateArray());
    }

    private static int GatewayBytes(JsonElement messages) =>
        messages.EnumerateArray().Sum(m => JsonSerializer.SerializeToUtf8Bytes(m).Length);

    private Task<(ImSocket Socket, List<string> ConvIds)> ConversationsWithMessagesAsync(int conversations, int messages, string? text = null) =>
        _node.ConversationsWithMessagesAsync("reply", conversations, messages, _ => text ?? Text);
}
