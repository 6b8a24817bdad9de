using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;
using static OrleansIm.Tests.Chatrooms.ChatroomClient;

namespace OrleansIm.Tests.Chatrooms;

/// <summary>The Chatrooms:* limits, each on a node configured low: rooms per connection, connections per room, a room's message rate.</summary>
public sealed class ChatroomLimitTests
{
    [Fact]
    public async Task A_connection_is_in_at_most_MaxRoomsPerConnection_rooms()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Chatrooms:MaxRoomsPerConnection"] = "2" });
        var alice = NodeFixture.NewUserId("al");
        var token = await node.LoginAsync(alice);
        var rooms = new[] { await CreateAsync(node, alice), await CreateAsync(node, alice), await CreateAsync(node, alice) };
        await using var socket = await node.ConnectAsync(token);
        await using var other = await node.ConnectAsync(token, DeviceTypes.Ios);

        await EnterAsync(socket, rooms[0]);
        await EnterAsync(socket, rooms[1]);
        await socket.ExpectErrorAsync("chatroom.enter", new { conv_id = rooms[2] }, ImErrorCodes.LimitExceeded);
        Assert.Equal(0, (await InfoAsync(socket, rooms[2])).GetProperty("connections").GetInt32());
        // Per connection: another connection of the same user may enter.
        await EnterAsync(other, rooms[2]);
        await ExitAsync(socket, rooms[0]);
        await EnterAsync(socket, rooms[2]);
    }

    [Fact]
    public async Task A_room_holds_at_most_MaxConnectionsPerRoom_connections()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Chatrooms:MaxConnectionsPerRoom"] = "2" });
        var (a, b, c) = (NodeFixture.NewUserId("a"), NodeFixture.NewUserId("b"), NodeFixture.NewUserId("c"));
        await using var sa = await node.ConnectAsync(await node.LoginAsync(a));
        var room = await CreateAsync(node, a);
        await using var sb = await node.ConnectAsync(await node.LoginAsync(b));
        await using var sc = await node.ConnectAsync(await node.LoginAsync(c));

        await EnterAsync(sa, room);
        await EnterAsync(sb, room);
        await sc.ExpectErrorAsync("chatroom.enter", new { conv_id = room }, ImErrorCodes.ChatroomFull);
        Assert.False((await InfoAsync(sc, room)).GetProperty("in_room").GetBoolean());
        // Re-entering from a connection already inside is not a new seat.
        await EnterAsync(sb, room);
        await ExitAsync(sa, room);
        await EnterAsync(sc, room);
    }

    [Fact]
    public async Task A_room_takes_at_most_its_message_burst_then_4290()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?>
        {
            // One token a thousand seconds: the bucket does not refill during the test, whatever the machine's speed.
            ["Chatrooms:MessagesPerSecond"] = "0.001",
            ["Chatrooms:MessageBurst"] = "3",
        });
        var (a, b) = (NodeFixture.NewUserId("a"), NodeFixture.NewUserId("b"));
        await using var sa = await node.ConnectAsync(await node.LoginAsync(a));
        var room = await CreateAsync(node, a);
        await using var sb = await node.ConnectAsync(await node.LoginAsync(b));
        await EnterAsync(sa, room);
        await EnterAsync(sb, room);

        await SendAsync(sa, room, "1");
        await SendAsync(sb, room, "2");
        await SendAsync(sa, room, "3");
        // All senders share the room's bucket.
        await sb.ExpectErrorAsync("msg.send", new { conv_id = room, type = -1, text = "4" }, ImErrorCodes.RateLimited);
        await sa.ExpectErrorAsync("msg.send", new { conv_id = room, type = -1, text = "5" }, ImErrorCodes.RateLimited);
        await WaitForMessageAsync(sb, room, "3");
    }
}
