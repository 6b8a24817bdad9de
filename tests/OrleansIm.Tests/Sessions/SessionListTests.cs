using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;
using static OrleansIm.Tests.Sessions.SessionClient;

namespace OrleansIm.Tests.Sessions;

/// <summary>session.list and updateSession over real sockets against a real node.</summary>
public sealed class SessionListTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Unread_rises_with_messages_drops_to_zero_on_read_and_the_readers_other_device_gets_updateSession()
    {
        var (a, b, tokenA, tokenB, convId) = await PrivatePairAsync(Node);
        await using var alice = await Node.ConnectAsync(tokenA, "im_web");
        await using var bobWeb = await Node.ConnectAsync(tokenB, "im_web");
        await using var bobPhone = await Node.ConnectAsync(tokenB, "im_app_ios");

        await SendAsync(alice, convId, 2);
        var bobs = Session(await bobWeb.AckAsync("session.list"), convId);
        Assert.Equal(2, bobs.GetProperty("unread").GetInt32());
        await SendAsync(alice, convId, 1, "third");
        bobs = Session(await bobWeb.AckAsync("session.list"), convId);
        Assert.Equal(3, bobs.GetProperty("unread").GetInt32());
        Assert.Equal(3, bobs.GetProperty("last_seq").GetInt64());
        Assert.Equal(0, bobs.GetProperty("last_read_seq").GetInt64());
        Assert.Equal("third1", bobs.GetProperty("last_msg").GetProperty("text").GetString());
        Assert.Equal(bobs.GetProperty("last_msg").GetProperty("ctime").GetInt64(), bobs.GetProperty("update_time").GetInt64());
        // One's own messages are never unread.
        Assert.Equal(0, Session(await alice.AckAsync("session.list"), convId).GetProperty("unread").GetInt32());

        await bobWeb.AckAsync("msg.read", new { conv_id = convId, seq = 2 });
        var update = (await bobPhone.WaitForTypeAsync("updateSession")).GetProperty("data");
        Assert.Equal(convId, update.GetProperty("conv_id").GetString());
        Assert.Equal(1, update.GetProperty("unread").GetInt32());
        Assert.Equal(2, update.GetProperty("last_read_seq").GetInt64());

        await bobWeb.AckAsync("msg.read", new { conv_id = convId, seq = 3 });
        update = (await bobPhone.WaitForTypeAsync("updateSession")).GetProperty("data");
        Assert.Equal(0, update.GetProperty("unread").GetInt32());
        Assert.Equal(0, Session(await bobPhone.AckAsync("session.list"), convId).GetProperty("unread").GetInt32());
        // The reading device has the ack; by then every updateSession it could have got was queued before it.
        await bobWeb.PingAsync();
        await Assert.ThrowsAsync<TimeoutException>(() => bobWeb.WaitForTypeAsync("updateSession", null, TimeSpan.Zero));
    }

    [Fact]
    public async Task Sessions_are_ordered_by_update_time_and_paged_with_a_cursor()
    {
        var me = NodeFixture.NewUserId("me");
        var token = await Node.LoginAsync(me);
        var partners = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var p = NodeFixture.NewUserId("p" + i);
            await Node.LoginAsync(p);
            partners.Add(p);
        }
        var convs = new List<string>();
        foreach (var p in partners) convs.Add(await CreateConversationAsync(Node, me, ConversationTypes.Private, p));
        await using var socket = await Node.ConnectAsync(token);

        long time = 0;
        foreach (var conv in convs) time = await SendLaterThanAsync(socket, conv, time); // convs[2] is the newest

        var first = await socket.AckAsync("session.list", new { limit = 2 });
        Assert.Equal([convs[2], convs[1]], first.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("conv_id").GetString()!).ToList());
        Assert.True(first.GetProperty("has_more").GetBoolean());
        var cursor = first.GetProperty("cursor").GetString();
        var second = await socket.AckAsync("session.list", new { limit = 2, cursor });
        Assert.Equal([convs[0]], second.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("conv_id").GetString()!).ToList());
        Assert.False(second.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("cursor").ValueKind);

        // A new message moves its conversation to the top.
        await SendLaterThanAsync(socket, convs[0], time);
        var again = await socket.AckAsync("session.list");
        Assert.Equal([convs[0], convs[2], convs[1]], again.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("conv_id").GetString()!).ToList());
    }

    [Fact]
    public async Task Bad_session_list_requests_get_documented_codes()
    {
        var me = NodeFixture.NewUserId("bad");
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(me));
        await socket.ExpectErrorAsync("session.list", new { cursor = "nonsense" }, ImErrorCodes.InvalidParameter);
        await socket.ExpectErrorAsync("session.list", new { limit = SessionLimits.MaxPageSize + 1 }, ImErrorCodes.LimitExceeded);
        await socket.ExpectErrorAsync("session.list", new { limit = 0 }, ImErrorCodes.InvalidParameter);
        var empty = await socket.AckAsync("session.list");
        Assert.Empty(empty.GetProperty("sessions").EnumerateArray());
        Assert.False(empty.GetProperty("has_more").GetBoolean());
    }
}
