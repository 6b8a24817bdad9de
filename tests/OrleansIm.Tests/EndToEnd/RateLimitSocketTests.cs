using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// Gateway:RateLimits on /ws over real sockets: frames per connection (4290 with retry_after_ms, then close 4429 for a
/// client that keeps going), msg.send per user and size-weighted sends. Frames are pipelined without waiting, and buckets
/// refill at 1 token/s, so the outcome does not depend on the machine's speed.
/// </summary>
public sealed class RateLimitSocketTests
{
    [Fact]
    public async Task Frames_past_the_connection_limit_are_answered_4290_with_retry_after_and_the_socket_stays_open()
    {
        var settings = RateLimitSettings.Only(("FramesPerConnection", 5, 1));
        settings[$"{RateLimitSettings.Section}:FrameRejectionsBeforeClose"] = "0";
        await using var node = await TestNode.StartAsync(settings);
        await using var socket = await node.ConnectAsync(await node.LoginAsync(NodeFixture.NewUserId("fr")));

        const int frames = 30;
        for (var i = 0; i < frames; i++) await socket.SendTextAsync(JsonSerializer.Serialize(new { type = "ping", id = $"p{i}" }));
        var replies = new List<JsonElement>();
        for (var i = 0; i < frames; i++)
        {
            var id = $"p{i}";
            replies.Add(await socket.WaitForAsync(f => f.TryGetProperty("id", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() == id));
        }

        // Every frame got exactly one reply: a pong, or an error 4290 carrying its id and a retry-after.
        var refused = replies.Where(r => r.GetProperty("type").GetString() == "error").ToList();
        Assert.NotEmpty(refused);
        Assert.Contains(replies, r => r.GetProperty("type").GetString() == "pong");
        Assert.All(refused, r =>
        {
            Assert.Equal(4290, r.GetProperty("code").GetInt32());
            Assert.True(r.GetProperty("retry_after_ms").GetInt64() > 0);
        });
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_client_that_keeps_sending_far_past_the_limit_is_closed_with_4429()
    {
        var settings = RateLimitSettings.Only(("FramesPerConnection", 2, 1));
        settings[$"{RateLimitSettings.Section}:FrameRejectionsBeforeClose"] = "3";
        settings[$"{RateLimitSettings.Section}:FrameRejectionWindow"] = "00:01:00";
        await using var node = await TestNode.StartAsync(settings);
        await using var socket = await node.ConnectAsync(await node.LoginAsync(NodeFixture.NewUserId("fc")));

        for (var i = 0; i < 20; i++)
        {
            try
            {
                await socket.SendTextAsync(JsonSerializer.Serialize(new { type = "ping", id = $"p{i}" }));
            }
            catch (WebSocketException)
            {
                break; // the server closed the socket while we were still sending: what this test is after
            }
        }

        Assert.Equal((WebSocketCloseStatus)4429, await socket.WaitClosedAsync());
    }

    [Fact]
    public async Task Sends_past_the_users_limit_get_4290_and_later_sends_of_other_users_still_pass()
    {
        await using var node = await TestNode.StartAsync(RateLimitSettings.Only(("SendsPerUser", 3, 1)));
        var (tokenA, tokenB, convId) = await PrivateConversationAsync(node);
        await using var alice = await node.ConnectAsync(tokenA);

        const int sends = 20;
        for (var i = 0; i < sends; i++)
            await alice.SendTextAsync(JsonSerializer.Serialize(new { type = "msg.send", id = $"s{i}", data = new { conv_id = convId, type = -1, text = $"m{i}" } }));
        var replies = new List<JsonElement>();
        for (var i = 0; i < sends; i++)
        {
            var id = $"s{i}";
            replies.Add(await alice.WaitForAsync(f => f.TryGetProperty("id", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() == id));
        }
        Assert.Contains(replies, r => r.GetProperty("type").GetString() == "msg.send.ack");
        var refused = replies.Where(r => r.GetProperty("type").GetString() == "error").ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r =>
        {
            Assert.Equal(4290, r.GetProperty("code").GetInt32());
            Assert.True(r.GetProperty("retry_after_ms").GetInt64() > 0);
        });

        // Other frames of the same connection are not sends, and the limit is per user: bob still sends.
        await alice.PingAsync();
        await using var bob = await node.ConnectAsync(tokenB);
        await bob.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "bob's turn" });
    }

    [Fact]
    public async Task Sends_are_weighted_by_size_a_large_one_is_refused_where_a_small_one_passes()
    {
        await using var node = await TestNode.StartAsync(RateLimitSettings.Only(("SendCharactersPerUser", 100, 1)));
        var (tokenA, _, convId) = await PrivateConversationAsync(node);
        await using var alice = await node.ConnectAsync(tokenA);
        var large = new string('x', 90);

        await alice.AckAsync("msg.send", new { conv_id = convId, type = -1, text = large, transient = 1 });
        var refused = await alice.ExpectErrorAsync("msg.send", new { conv_id = convId, type = -1, text = large, transient = 1 }, 4290);
        Assert.True(refused.GetProperty("retry_after_ms").GetInt64() > 0);
        await alice.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "small" });
    }

    [Fact]
    public async Task A_client_that_waits_the_retry_after_gets_through_again_frames_and_sends_refill()
    {
        var settings = RateLimitSettings.Only(("FramesPerConnection", 2, 1), ("SendsPerUser", 1, 1));
        settings[$"{RateLimitSettings.Section}:FrameRejectionsBeforeClose"] = "0";
        await using var node = await TestNode.StartAsync(settings);
        var (tokenA, _, convId) = await PrivateConversationAsync(node);
        await using var alice = await node.ConnectAsync(tokenA);

        // The send bucket (per user, a partitioned limiter) and the frame bucket (per connection) both run dry…
        await alice.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "first" });
        var refused = await alice.RequestAsync("msg.send", new { conv_id = convId, type = -1, text = "second" });
        Assert.Equal(4290, refused.GetProperty("code").GetInt32());

        // …and refill: a client that waits what it is told, and tries again, is served.
        await RetryUntilAckedAsync(alice, refused, new { conv_id = convId, type = -1, text = "second" });
    }

    /// <summary>Waits each refusal's retry_after_ms and resends, as a client should; bounded, not timed.</summary>
    private static async Task RetryUntilAckedAsync(ImSocket socket, JsonElement refused, object data)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(refused.GetProperty("retry_after_ms").GetInt64()));
            var reply = await socket.RequestAsync("msg.send", data);
            if (reply.GetProperty("type").GetString() == "msg.send.ack") return;
            Assert.Equal(4290, reply.GetProperty("code").GetInt32());
            refused = reply;
        }
        throw new InvalidOperationException("Still refused after 20 waits of retry_after_ms.");
    }

    private static async Task<(string TokenA, string TokenB, string ConvId)> PrivateConversationAsync(TestNode node)
    {
        var a = NodeFixture.NewUserId("alice");
        var b = NodeFixture.NewUserId("bob");
        var tokenA = await node.LoginAsync(a);
        var tokenB = await node.LoginAsync(b);
        var (status, created) = await node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 1 }));
        Assert.Equal(HttpStatusCode.OK, status);
        return (tokenA, tokenB, created.GetProperty("data").GetProperty("conv_id").GetString()!);
    }
}
