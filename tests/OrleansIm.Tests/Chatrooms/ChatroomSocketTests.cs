using System.Net;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;
using static OrleansIm.Tests.Chatrooms.ChatroomClient;

namespace OrleansIm.Tests.Chatrooms;

/// <summary>Chatrooms (conv_type 4) over real /ws sockets against a real node: create, enter, exit, count, messages, leaving by closing.</summary>
public sealed class ChatroomSocketTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_chatroom_is_created_through_the_conversation_api_and_has_no_persisted_members()
    {
        var (owner, other) = (NodeFixture.NewUserId("own"), NodeFixture.NewUserId("oth"));
        await Node.LoginAsync(owner);
        await Node.LoginAsync(other);
        var withoutTargets = await CreateAsync(Node, owner, new { conv_name = "lobby" });
        var (status, body) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = owner, to_client_ids = new[] { other }, conv_type = 4 }));
        Assert.Equal(HttpStatusCode.OK, status);
        var withTargets = body.GetProperty("data").GetProperty("conv_id").GetString()!;

        foreach (var convId in new[] { withoutTargets, withTargets })
        {
            var (_, members) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/members");
            Assert.Equal(0, members.GetProperty("data").GetArrayLength());
            var (_, added) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/members",
                JsonSerializer.Serialize(new { client_ids = new[] { other } }));
            Assert.Equal(ImErrorCodes.InvalidConversationType, added.GetProperty("code").GetInt32());
        }

        // Not in anyone's conversation list: a chatroom is entered, not joined.
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(other));
        var info = await InfoAsync(socket, withoutTargets);
        Assert.Equal(0, info.GetProperty("online").GetInt32());
        Assert.Equal(owner, info.GetProperty("creator_id").GetString());
        Assert.Equal("lobby", info.GetProperty("conv_extend").GetProperty("conv_name").GetString());
        Assert.False(info.GetProperty("in_room").GetBoolean());
    }

    [Fact]
    public async Task Enter_and_exit_move_the_online_count_across_users_and_devices()
    {
        var (alice, bob) = (NodeFixture.NewUserId("al"), NodeFixture.NewUserId("bo"));
        var aliceToken = await Node.LoginAsync(alice);
        var bobToken = await Node.LoginAsync(bob);
        var convId = await CreateAsync(Node, alice);
        await using var aliceWeb = await Node.ConnectAsync(aliceToken, DeviceTypes.Web);
        await using var alicePhone = await Node.ConnectAsync(aliceToken, DeviceTypes.Ios);
        await using var bobWeb = await Node.ConnectAsync(bobToken, DeviceTypes.Web);

        var entered = await EnterAsync(aliceWeb, convId);
        Assert.Equal(1, entered.GetProperty("online").GetInt32());
        Assert.Equal(1, entered.GetProperty("connections").GetInt32());
        Assert.Equal(0, entered.GetProperty("messages").GetArrayLength());

        // A second device of the same user: one more connection, still one user online.
        var again = await EnterAsync(alicePhone, convId);
        Assert.Equal(1, again.GetProperty("online").GetInt32());
        Assert.Equal(2, again.GetProperty("connections").GetInt32());
        // Entering twice from one connection changes nothing.
        Assert.Equal(2, (await EnterAsync(alicePhone, convId)).GetProperty("connections").GetInt32());

        var withBob = await EnterAsync(bobWeb, convId);
        Assert.Equal(2, withBob.GetProperty("online").GetInt32());
        Assert.Equal(3, withBob.GetProperty("connections").GetInt32());
        Assert.True((await InfoAsync(bobWeb, convId)).GetProperty("in_room").GetBoolean());

        // Those inside hear the count, coalesced; bob's arrival is named while the room is small.
        var members = await aliceWeb.WaitForTypeAsync(ChatroomEventNames.Members,
            f => f.GetProperty("data").GetProperty("online").GetInt32() == 2);
        Assert.Equal(convId, members.GetProperty("data").GetProperty("conv_id").GetString());
        Assert.Contains(bob, members.GetProperty("data").GetProperty("entered").EnumerateArray().Select(e => e.GetString()));

        var left = await ExitAsync(alicePhone, convId);
        Assert.Equal(2, left.GetProperty("online").GetInt32());
        Assert.Equal(2, left.GetProperty("connections").GetInt32());
        var bobLeft = await ExitAsync(bobWeb, convId);
        Assert.Equal(1, bobLeft.GetProperty("online").GetInt32());
        Assert.False((await InfoAsync(bobWeb, convId)).GetProperty("in_room").GetBoolean());
        // (An earlier event may also have said online 1, before bob came: match the one naming his exit.)
        var exited = await aliceWeb.WaitForTypeAsync(ChatroomEventNames.Members,
            f => f.GetProperty("data").TryGetProperty("exited", out var e) && e.EnumerateArray().Any(x => x.GetString() == bob));
        Assert.Equal(1, exited.GetProperty("data").GetProperty("online").GetInt32());

        // Exiting again is an error with a code.
        await bobWeb.ExpectErrorAsync("chatroom.exit", new { conv_id = convId }, ImErrorCodes.NotInChatroom);
    }

    [Fact]
    public async Task A_recall_reaches_the_connections_in_the_room_and_not_those_outside()
    {
        var (alice, bob, carol) = (NodeFixture.NewUserId("al"), NodeFixture.NewUserId("bo"), NodeFixture.NewUserId("ca"));
        var aliceToken = await Node.LoginAsync(alice);
        var convId = await CreateAsync(Node, alice);
        await using var aliceWeb = await Node.ConnectAsync(aliceToken, DeviceTypes.Web);
        await using var bobSocket = await Node.ConnectAsync(await Node.LoginAsync(bob));
        await using var carolSocket = await Node.ConnectAsync(await Node.LoginAsync(carol));
        foreach (var socket in new[] { aliceWeb, bobSocket, carolSocket }) await EnterAsync(socket, convId);
        await SendAsync(aliceWeb, convId, "oops");
        await WaitForMessageAsync(bobSocket, convId, "oops");
        await WaitForMessageAsync(carolSocket, convId, "oops");
        await ExitAsync(carolSocket, convId);

        var ack = await aliceWeb.AckAsync("msg.recall", new { conv_id = convId, seq = 1 });
        Assert.True(ack.GetProperty("recalled").GetBoolean());

        static bool IsRecall(JsonElement frame, string convId) => frame.GetProperty("type").GetString() == "sysMsg" &&
            frame.GetProperty("data").GetProperty("type").GetString() == "deleteMsg" &&
            frame.GetProperty("data").GetProperty("conv_id").GetString() == convId && frame.GetProperty("data").GetProperty("seq").GetInt64() == 1;
        var atBob = await bobSocket.WaitForAsync(f => IsRecall(f, convId));
        Assert.Equal(alice, atBob.GetProperty("data").GetProperty("ope_client").GetString());
        // Carol left before the recall: she hears nothing of it (bob's copy came in the same delivery to this gateway, so
        // hers would be queued ahead of a pong now), but what she reads later shows it.
        var pingId = "p" + Guid.NewGuid().ToString("N");
        await carolSocket.SendTextAsync(JsonSerializer.Serialize(new { type = "ping", id = pingId }));
        var first = await carolSocket.WaitForAsync(f => IsRecall(f, convId) ||
            (f.GetProperty("type").GetString() == "pong" && f.TryGetProperty("id", out var id) && id.GetString() == pingId));
        Assert.Equal("pong", first.GetProperty("type").GetString());
        var reentered = await EnterAsync(carolSocket, convId);
        Assert.True(reentered.GetProperty("messages")[0].GetProperty("recalled").GetBoolean());
    }

    [Fact]
    public async Task A_message_reaches_the_connections_inside_and_not_those_who_left_or_never_entered()
    {
        var (alice, bob, carol, dave) = (NodeFixture.NewUserId("al"), NodeFixture.NewUserId("bo"), NodeFixture.NewUserId("ca"), NodeFixture.NewUserId("da"));
        var aliceToken = await Node.LoginAsync(alice);
        var convId = await CreateAsync(Node, alice);
        await using var aliceWeb = await Node.ConnectAsync(aliceToken, DeviceTypes.Web);
        await using var alicePc = await Node.ConnectAsync(aliceToken, DeviceTypes.Windows);
        await using var bobSocket = await Node.ConnectAsync(await Node.LoginAsync(bob));
        await using var carolSocket = await Node.ConnectAsync(await Node.LoginAsync(carol));
        await using var daveSocket = await Node.ConnectAsync(await Node.LoginAsync(dave));
        foreach (var socket in new[] { aliceWeb, alicePc, bobSocket, carolSocket }) await EnterAsync(socket, convId);
        await ExitAsync(bobSocket, convId);

        var ack = await SendAsync(aliceWeb, convId, "hello room");
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        var atCarol = await WaitForMessageAsync(carolSocket, convId, "hello room");
        Assert.Equal(alice, atCarol.GetProperty("data").GetProperty("from_client").GetString());
        Assert.Equal(1, atCarol.GetProperty("data").GetProperty("seq").GetInt64());

        // A second message in order: once carol has it, every earlier push of this gateway is queued.
        await SendAsync(carolSocket, convId, "second");
        await WaitForMessageAsync(aliceWeb, convId, "second");
        await WaitForMessageAsync(alicePc, convId, "second");
        await AssertNoRoomMessageAsync(bobSocket, convId);
        await AssertNoRoomMessageAsync(daveSocket, convId);
        // The sender's own devices get their message only with no_sync 1, as in any conversation.
        await AssertNoRoomMessageAsync(aliceWeb, convId);
        await AssertNoRoomMessageAsync(alicePc, convId);

        // Whoever enters later gets the newest messages in the enter ack, oldest first.
        var late = await EnterAsync(bobSocket, convId, limit: 1);
        var recent = late.GetProperty("messages");
        Assert.Equal(1, recent.GetArrayLength());
        Assert.Equal("second", recent[0].GetProperty("text").GetString());
        var all = await EnterAsync(daveSocket, convId);
        Assert.Equal(new[] { "hello room", "second" }, all.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToArray());
        Assert.Equal(2, all.GetProperty("last_seq").GetInt64());

        // And the messages after that.
        await SendAsync(aliceWeb, convId, "third");
        await WaitForMessageAsync(bobSocket, convId, "third");
        await WaitForMessageAsync(daveSocket, convId, "third");
    }

    [Fact]
    public async Task Those_inside_can_read_the_history_and_others_cannot()
    {
        var (alice, bob) = (NodeFixture.NewUserId("al"), NodeFixture.NewUserId("bo"));
        var convId = await CreateAsync(Node, await LoginReturningId(alice));
        await using var aliceSocket = await Node.ConnectAsync(await Node.LoginAsync(alice));
        await using var bobSocket = await Node.ConnectAsync(await Node.LoginAsync(bob));
        await EnterAsync(aliceSocket, convId);
        await SendAsync(aliceSocket, convId, "kept");

        var history = await aliceSocket.AckAsync("msg.history", new { conv_id = convId });
        Assert.Equal("kept", history.GetProperty("messages")[0].GetProperty("text").GetString());
        await bobSocket.ExpectErrorAsync("msg.history", new { conv_id = convId }, ImErrorCodes.NotMember);
        // The server API reads it like any conversation's.
        var (_, page) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/message?page=1&size=10");
        Assert.Equal(1, page.GetProperty("data").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_closed_socket_leaves_the_room()
    {
        var (alice, bob) = (NodeFixture.NewUserId("al"), NodeFixture.NewUserId("bo"));
        var convId = await CreateAsync(Node, await LoginReturningId(alice));
        await using var aliceSocket = await Node.ConnectAsync(await Node.LoginAsync(alice));
        var bobSocket = await Node.ConnectAsync(await Node.LoginAsync(bob));
        await EnterAsync(aliceSocket, convId);
        Assert.Equal(2, (await EnterAsync(bobSocket, convId)).GetProperty("online").GetInt32());
        // (A user who enters and leaves within one coalescing period is named in no event: wait for the arrival first.)
        await aliceSocket.WaitForTypeAsync(ChatroomEventNames.Members, f => f.GetProperty("data").GetProperty("online").GetInt32() == 2);

        await bobSocket.DisposeAsync();
        await WaitForOnlineAsync(aliceSocket, convId, 1, connections: 1);
        var exited = await aliceSocket.WaitForTypeAsync(ChatroomEventNames.Members,
            f => f.GetProperty("data").TryGetProperty("exited", out var e) && e.EnumerateArray().Any(x => x.GetString() == bob));
        Assert.Equal(1, exited.GetProperty("data").GetProperty("online").GetInt32());

        // Bob, back on a new socket, is not in the room until he enters again.
        await using var bobAgain = await Node.ConnectAsync(await Node.LoginAsync(bob));
        await bobAgain.ExpectErrorAsync("msg.send", new { conv_id = convId, type = -1, text = "hi" }, ImErrorCodes.NotInChatroom);
    }

    [Fact]
    public async Task Sending_to_a_room_one_is_not_in_gets_4601()
    {
        var (alice, bob) = (NodeFixture.NewUserId("al"), NodeFixture.NewUserId("bo"));
        var convId = await CreateAsync(Node, await LoginReturningId(alice));
        await using var aliceSocket = await Node.ConnectAsync(await Node.LoginAsync(alice));
        await using var bobSocket = await Node.ConnectAsync(await Node.LoginAsync(bob));

        // The creator too: being the creator is not being in the room.
        await aliceSocket.ExpectErrorAsync("msg.send", new { conv_id = convId, type = -1, text = "x" }, ImErrorCodes.NotInChatroom);
        await EnterAsync(bobSocket, convId);
        await SendAsync(bobSocket, convId, "in");
        await ExitAsync(bobSocket, convId);
        await bobSocket.ExpectErrorAsync("msg.send", new { conv_id = convId, type = -1, text = "out" }, ImErrorCodes.NotInChatroom);
        // The server API names a sender, who must be in the room too.
        var (_, rest) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message",
            JsonSerializer.Serialize(new { from_client = alice, type = -1, text = "rest" }));
        Assert.Equal(ImErrorCodes.NotInChatroom, rest.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Unknown_and_non_chatroom_conversations_and_bad_input_get_codes()
    {
        var (alice, bob, outsider) = (NodeFixture.NewUserId("al"), NodeFixture.NewUserId("bo"), NodeFixture.NewUserId("ou"));
        var aliceToken = await Node.LoginAsync(alice);
        await Node.LoginAsync(bob);
        var (_, group) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = alice, to_client_ids = new[] { bob }, conv_type = 3 }));
        var groupId = group.GetProperty("data").GetProperty("conv_id").GetString()!;
        await using var aliceSocket = await Node.ConnectAsync(aliceToken);
        await using var outsiderSocket = await Node.ConnectAsync(await Node.LoginAsync(outsider));

        var missing = ConversationIds.NewId();
        foreach (var type in new[] { "chatroom.enter", "chatroom.info" })
        {
            // A member learns the conversation is not a chatroom; anyone else gets what an unknown id gets (no probing).
            await aliceSocket.ExpectErrorAsync(type, new { conv_id = groupId }, ImErrorCodes.InvalidConversationType);
            var forGroup = await outsiderSocket.ExpectErrorAsync(type, new { conv_id = groupId }, ImErrorCodes.NotMember);
            var forMissing = await outsiderSocket.ExpectErrorAsync(type, new { conv_id = missing }, ImErrorCodes.NotMember);
            Assert.Equal(forGroup.GetProperty("msg").GetString()!.Replace(groupId, "ID"), forMissing.GetProperty("msg").GetString()!.Replace(missing, "ID"));
            await aliceSocket.ExpectErrorAsync(type, new { }, ImErrorCodes.MissingParameter);
            await aliceSocket.ExpectErrorAsync(type, new { conv_id = 42 }, ImErrorCodes.InvalidParameter);
        }
        await aliceSocket.ExpectErrorAsync("chatroom.exit", new { conv_id = missing }, ImErrorCodes.NotInChatroom);
        var room = await CreateAsync(Node, alice);
        await aliceSocket.ExpectErrorAsync("chatroom.enter", new { conv_id = room, limit = 101 }, ImErrorCodes.LimitExceeded);
        await aliceSocket.ExpectErrorAsync("chatroom.enter", new { conv_id = room, limit = -1 }, ImErrorCodes.LimitExceeded);
        await aliceSocket.ExpectErrorAsync("chatroom.enter", new { conv_id = room, limit = "x" }, ImErrorCodes.InvalidParameter);
        // None of that left the connection in a room.
        Assert.Equal(0, (await InfoAsync(aliceSocket, room)).GetProperty("connections").GetInt32());
        await aliceSocket.PingAsync();
    }

    [Fact]
    public async Task Deleting_a_room_tells_those_inside_and_takes_them_out()
    {
        var alice = NodeFixture.NewUserId("al");
        var convId = await CreateAsync(Node, await LoginReturningId(alice));
        await using var aliceSocket = await Node.ConnectAsync(await Node.LoginAsync(alice));
        await EnterAsync(aliceSocket, convId);

        var (_, deleted) = await Node.ApiAsync(HttpMethod.Delete, $"/im/conversations/{convId}");
        Assert.Equal(0, deleted.GetProperty("code").GetInt32());
        var closed = await aliceSocket.WaitForTypeAsync(ChatroomEventNames.Closed);
        Assert.Equal(convId, closed.GetProperty("data").GetProperty("conv_id").GetString());
        await aliceSocket.ExpectErrorAsync("chatroom.exit", new { conv_id = convId }, ImErrorCodes.NotInChatroom);
    }

    private async Task<string> LoginReturningId(string userId)
    {
        await Node.LoginAsync(userId);
        return userId;
    }
}
