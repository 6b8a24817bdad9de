using System.Net.WebSockets;
using System.Text.Json;
using OrleansIm.Gateway.Stomp;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Stomp;

/// <summary>
/// The frame rate limit on STOMP connections: a refused frame is not handled and is reported on /user/queue/errors as
/// 429 with retryAfterMs (and the receipt it asked for), DISCONNECT is never refused, and a client that keeps going far
/// past the limit gets ERROR and close 4429.
/// </summary>
public sealed class StompRateLimitTests
{
    [Fact]
    public async Task Frames_past_the_limit_are_reported_as_429_on_the_error_queue_and_disconnect_still_works()
    {
        var settings = RateLimitSettings.Only(("FramesPerConnection", 3, 1));
        settings[$"{RateLimitSettings.Section}:FrameRejectionsBeforeClose"] = "0";
        await using var node = await TestNode.StartAsync(settings);
        var user = NodeFixture.NewUserId("st");
        await using var client = await StompTestClient.OpenAsync(node.BaseUri, $"userId={user}", "v12.stomp");
        Assert.Equal("CONNECTED", (await client.ConnectAsync(await node.LoginAsync(user))).Command);

        await client.SendAsync("SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\nreceipt:sub\n\n\0");
        Assert.Equal("sub", (await client.NextAsync())["receipt-id"]);
        for (var i = 0; i < 20; i++) await client.SendAsync($"ACK\nid:a{i}\nreceipt:ack-{i}\n\n\0");

        var refusal = await NextMessageAsync(client, f => f.Command == "MESSAGE");
        Assert.Equal("/user/queue/errors", refusal["destination"]);
        var body = JsonDocument.Parse(refusal.BodyText).RootElement;
        Assert.Equal(429, body.GetProperty("code").GetInt32());
        Assert.True(body.GetProperty("retryAfterMs").GetInt64() > 0);
        Assert.Equal("ACK", body.GetProperty("command").GetString());
        Assert.StartsWith("ack-", body.GetProperty("receipt").GetString());

        // DISCONNECT is never refused: the client can always leave cleanly.
        await client.SendAsync("DISCONNECT\nreceipt:bye\n\n\0");
        await NextMessageAsync(client, f => f.Command == "RECEIPT" && f["receipt-id"] == "bye");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.WaitClosedAsync());
    }

    [Fact]
    public async Task A_client_far_past_the_limit_gets_error_and_close_4429()
    {
        var settings = RateLimitSettings.Only(("FramesPerConnection", 2, 1));
        settings[$"{RateLimitSettings.Section}:FrameRejectionsBeforeClose"] = "3";
        settings[$"{RateLimitSettings.Section}:FrameRejectionWindow"] = "00:01:00";
        await using var node = await TestNode.StartAsync(settings);
        var user = NodeFixture.NewUserId("st");
        await using var client = await StompTestClient.OpenAsync(node.BaseUri, $"userId={user}", "v12.stomp");
        Assert.Equal("CONNECTED", (await client.ConnectAsync(await node.LoginAsync(user))).Command);

        for (var i = 0; i < 20; i++)
        {
            try
            {
                await client.SendAsync($"ACK\nid:a{i}\n\n\0");
            }
            catch (WebSocketException)
            {
                break; // the server closed the socket while we were still sending: what this test is after
            }
        }

        var error = await NextMessageAsync(client, f => f.Command == "ERROR");
        Assert.Equal("Too many frames.", error["message"]);
        Assert.Equal((WebSocketCloseStatus)4429, await client.WaitClosedAsync());
    }

    private static async Task<StompFrame> NextMessageAsync(StompTestClient client, Func<StompFrame, bool> match)
    {
        for (var i = 0; i < 100; i++)
        {
            var frame = await client.NextAsync();
            if (match(frame)) return frame;
        }
        throw new InvalidOperationException("No matching frame among the next 100.");
    }
}
