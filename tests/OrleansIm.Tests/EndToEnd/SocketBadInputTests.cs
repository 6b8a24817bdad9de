using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

public sealed class SocketBadInputTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private async Task<(ImSocket Socket, string ConvId, string OtherConvId)> SetupAsync()
    {
        var a = NodeFixture.NewUserId("bad");
        var b = NodeFixture.NewUserId("bad");
        var c = NodeFixture.NewUserId("bad");
        var token = await Node.LoginAsync(a);
        await Node.LoginAsync(b);
        await Node.LoginAsync(c);
        var (_, mine) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations", JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 3 }));
        var (_, theirs) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations", JsonSerializer.Serialize(new { client_id = b, to_client_ids = new[] { c }, conv_type = 3 }));
        return (await Node.ConnectAsync(token),
            mine.GetProperty("data").GetProperty("conv_id").GetString()!,
            theirs.GetProperty("data").GetProperty("conv_id").GetString()!);
    }

    [Fact]
    public async Task Every_bad_input_gets_its_code_and_the_socket_stays_usable()
    {
        var (socket, convId, otherConvId) = await SetupAsync();
        await using var _ = socket;

        async Task Raw(string text, int code)
        {
            await socket.SendTextAsync(text);
            var reply = await socket.WaitForTypeAsync("error");
            ImSocket.AssertError(reply, code);
            await socket.PingAsync();
        }

        async Task Frame(string type, object? data, int code)
        {
            await socket.ExpectErrorAsync(type, data, code);
            await socket.PingAsync();
        }

        await Raw("{not json", ImErrorCodes.InvalidParameter);
        await Raw("[]", ImErrorCodes.InvalidParameter);
        await Raw("{\"id\":\"x\"}", ImErrorCodes.MissingParameter);
        await Raw("{\"type\":\"msg.send\",\"id\":\"d\",\"data\":5}", ImErrorCodes.InvalidParameter);
        await Frame("no.such.type", null, ImErrorCodes.UnknownFrameType);
        await Frame("msg.send", new { type = -1, text = "x" }, ImErrorCodes.MissingParameter);
        await Frame("msg.send", new { conv_id = convId, text = "x" }, ImErrorCodes.MissingParameter);
        await Frame("msg.send", new { conv_id = convId, type = "text", text = "x" }, ImErrorCodes.InvalidParameter);
        await Frame("msg.send", new { conv_id = 42, type = -1, text = "x" }, ImErrorCodes.InvalidParameter);
        await Frame("msg.send", new { conv_id = convId, type = -1, text = new string('x', MessageLimits.MaxTextLength + 1) }, ImErrorCodes.LimitExceeded);
        await Frame("msg.send", new { conv_id = otherConvId, type = -1, text = "x" }, ImErrorCodes.NotMember);
        await Frame("msg.send", new { conv_id = "00000000000000000000000000000000", type = -1, text = "x" }, ImErrorCodes.NotMember); // a missing conversation looks like anyone else's
        await Frame("msg.history", new { conv_id = otherConvId }, ImErrorCodes.NotMember);
        await Frame("msg.history", new { conv_id = convId, size = 1000 }, ImErrorCodes.LimitExceeded);
        await Frame("msg.history", new { conv_id = convId, page = "one" }, ImErrorCodes.InvalidParameter);
        await Frame("msg.sync", new { }, ImErrorCodes.MissingParameter);
        await Frame("msg.sync", new { cursors = new[] { 1 } }, ImErrorCodes.InvalidParameter);
        await Frame("msg.read", new { conv_id = convId }, ImErrorCodes.MissingParameter);
        await Frame("presence.query", new { user_ids = Enumerable.Range(0, MessageLimits.MaxPresenceIds + 1).Select(i => "u" + i).ToArray() }, ImErrorCodes.LimitExceeded);
        await Frame("presence.query", new { user_ids = "abc" }, ImErrorCodes.InvalidParameter);
        await Frame("presence.subscribe", new { }, ImErrorCodes.MissingParameter);
        await Frame("login", new { client_id = "someone-else" }, ImErrorCodes.Unauthorized);

        // After all that, real work still goes through.
        var ack = await socket.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "still here" });
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Oversize_frame_is_4013_and_the_socket_stays_usable()
    {
        var (socket, _, _) = await SetupAsync();
        await using var _ = socket;
        var big = "{\"type\":\"ping\",\"id\":\"big\",\"data\":{\"pad\":\"" + new string('x', 70 * 1024) + "\"}}";
        await socket.SendTextAsync(big);
        ImSocket.AssertError(await socket.WaitForTypeAsync("error"), ImErrorCodes.LimitExceeded);
        await socket.PingAsync();
    }

    /// <summary>
    /// Idle sockets wait for a frame with a zero-byte receive before renting a buffer (issue 12). An empty final frame
    /// completes its message at that receive already: a reader that then receives again waits for the next message,
    /// and the empty one goes unanswered (the fuzz smoke test's seed 8 found seven such inputs). Fragmented messages,
    /// one with an empty last fragment and one larger than the first rented buffer, arrive whole.
    /// </summary>
    [Fact]
    public async Task Empty_and_fragmented_messages_are_answered_like_whole_ones()
    {
        var (socket, _, _) = await SetupAsync();
        await using var _ = socket;

        await socket.SendTextAsync("");
        ImSocket.AssertError(await socket.WaitForTypeAsync("error"), ImErrorCodes.InvalidParameter);
        await socket.SendFragmentsAsync("", "", "");
        ImSocket.AssertError(await socket.WaitForTypeAsync("error"), ImErrorCodes.InvalidParameter);
        await socket.PingAsync();

        await socket.SendFragmentsAsync("{\"type\":\"ping\",", "\"id\":\"split\"}", "");
        Assert.Equal("split", (await socket.WaitForTypeAsync("pong")).GetProperty("id").GetString());

        var pad = new string('x', 10 * 1024);
        await socket.SendFragmentsAsync("{\"type\":\"ping\",\"id\":\"large\",\"data\":{\"pad\":\"", pad, pad, "\"}}");
        Assert.Equal("large", (await socket.WaitForTypeAsync("pong")).GetProperty("id").GetString());

        // Past the frame limit in many fragments: 4013, and the socket reads on.
        var fragments = Enumerable.Repeat(new string('y', 8 * 1024), 9).Prepend("{\"type\":\"ping\",\"id\":\"big\",\"pad\":\"").Append("\"}").ToArray();
        await socket.SendFragmentsAsync(fragments);
        ImSocket.AssertError(await socket.WaitForTypeAsync("error"), ImErrorCodes.LimitExceeded);
        await socket.PingAsync();
    }

    [Fact]
    public async Task Binary_frame_closes_with_1003()
    {
        var (socket, _, _) = await SetupAsync();
        await using var _ = socket;
        await socket.SendBytesAsync(Encoding.UTF8.GetBytes("{\"type\":\"ping\"}"), WebSocketMessageType.Binary);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await socket.WaitClosedAsync());
    }

    /// <summary>
    /// .NET's WebSocket checks UTF-8 itself: it sends close 1007 and then aborts the connection, and that abort's reset
    /// can reach the client before the client read the close frame (the kernel then drops it; seen on a busy machine,
    /// documented in protocol.md). So: closed with 1007 or reset, never left open, and the node serves on.
    /// </summary>
    [Fact]
    public async Task Invalid_utf8_closes_with_1007_or_the_runtimes_reset_and_the_node_serves_on()
    {
        var (socket, _, _) = await SetupAsync();
        await using var _ = socket;
        await socket.SendBytesAsync([(byte)'{', 0xC3, 0x28, (byte)'}'], WebSocketMessageType.Text);
        var status = await socket.WaitClosedAsync();
        Assert.True(status is WebSocketCloseStatus.InvalidPayloadData or null, $"closed with {status}");

        var (next, _, _) = await SetupAsync();
        await using var __ = next;
        await next.PingAsync();
    }
}
