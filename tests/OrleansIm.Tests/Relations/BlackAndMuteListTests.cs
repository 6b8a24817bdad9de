using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Relations;

/// <summary>relation.black / relation.mute / relation.mute_session over real sockets, and the black list's enforcement on private sends.</summary>
public sealed class BlackAndMuteListTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private async Task<string> PrivateConversationAsync(string a, string b)
    {
        var (status, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 1 }));
        Assert.Equal(HttpStatusCode.OK, status);
        return created.GetProperty("data").GetProperty("conv_id").GetString()!;
    }

    [Fact]
    public async Task A_blacklisted_users_private_messages_are_refused_with_4301_neither_stored_nor_delivered()
    {
        var a = NodeFixture.NewUserId("blk");
        var b = NodeFixture.NewUserId("blk");
        var tokenA = await Node.LoginAsync(a);
        var tokenB = await Node.LoginAsync(b);
        var convId = await PrivateConversationAsync(a, b);
        await using var alice = await Node.ConnectAsync(tokenA, "im_web");
        await using var alicePhone = await Node.ConnectAsync(tokenA, "im_app_ios");
        await using var bob = await Node.ConnectAsync(tokenB, "im_web");

        var ack = await alice.AckAsync("relation.black", new { account = b, add = true });
        Assert.True(ack.GetProperty("add").GetBoolean());
        Assert.True(ack.GetProperty("time").GetInt64() > 0);
        var update = (await alicePhone.WaitForTypeAsync("updateBlackList")).GetProperty("data");
        Assert.Equal(b, update.GetProperty("account").GetString());
        Assert.True(update.GetProperty("add").GetBoolean());

        await bob.ExpectErrorAsync("msg.send", new { conv_id = convId, type = -1, text = "let me in" }, ImErrorCodes.BlockedByRecipient);
        await bob.ExpectErrorAsync("msg.send", new { conv_id = convId, type = -1, text = "transient", transient = 1 }, ImErrorCodes.BlockedByRecipient);
        var (status, rest) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message",
            JsonSerializer.Serialize(new { from_client = b, type = -1, text = "via the server API" }));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(ImErrorCodes.BlockedByRecipient, rest.GetProperty("code").GetInt32());
        var grains = Node.Services.GetRequiredService<IGrainFactory>();
        Assert.Equal(0, await grains.GetGrain<IConversationGrain>(convId).GetLastSeq());

        // The blocker may still write to the blocked user.
        Assert.Equal(1, (await alice.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "go away" })).GetProperty("seq").GetInt64());
        Assert.Equal("go away", (await bob.WaitForTypeAsync("msg.new")).GetProperty("data").GetProperty("text").GetString());

        var lists = await alice.AckAsync("relation.list");
        Assert.Equal(b, lists.GetProperty("blacklist")[0].GetProperty("account").GetString());

        await alice.AckAsync("relation.black", new { account = b, add = false });
        Assert.False((await alicePhone.WaitForTypeAsync("updateBlackList")).GetProperty("data").GetProperty("add").GetBoolean());
        Assert.Equal(2, (await bob.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "friends again?" })).GetProperty("seq").GetInt64());
        // The first (and only) message alice's device gets from bob is the one sent after the removal.
        var pushed = (await alice.WaitForTypeAsync("msg.new", f => f.GetProperty("data").GetProperty("from_client").GetString() == b)).GetProperty("data");
        Assert.Equal("friends again?", pushed.GetProperty("text").GetString());
        Assert.Equal(0, (await alice.AckAsync("relation.list")).GetProperty("blacklist").GetArrayLength());
    }

    [Fact]
    public async Task A_block_set_before_the_conversation_exists_holds_once_it_is_created_and_after_it_is_deleted()
    {
        var a = NodeFixture.NewUserId("pre");
        var b = NodeFixture.NewUserId("pre");
        var tokenA = await Node.LoginAsync(a);
        var tokenB = await Node.LoginAsync(b);
        await using var alice = await Node.ConnectAsync(tokenA);
        await using var bob = await Node.ConnectAsync(tokenB);
        await alice.AckAsync("relation.black", new { account = b, add = true });

        var convId = await PrivateConversationAsync(b, a);
        await bob.ExpectErrorAsync("msg.send", new { conv_id = convId, type = -1, text = "hi" }, ImErrorCodes.BlockedByRecipient);

        var (status, _) = await Node.ApiAsync(HttpMethod.Delete, $"/im/conversations/{convId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(convId, await PrivateConversationAsync(a, b));
        await bob.ExpectErrorAsync("msg.send", new { conv_id = convId, type = -1, text = "hi again" }, ImErrorCodes.BlockedByRecipient);
    }

    [Fact]
    public async Task Muting_a_user_or_a_conversation_reaches_other_devices_and_messages_still_arrive()
    {
        var a = NodeFixture.NewUserId("mute");
        var b = NodeFixture.NewUserId("mute");
        var tokenA = await Node.LoginAsync(a);
        var tokenB = await Node.LoginAsync(b);
        var convId = await PrivateConversationAsync(a, b);
        await using var alice = await Node.ConnectAsync(tokenA, "im_web");
        await using var alicePhone = await Node.ConnectAsync(tokenA, "im_app_android");
        await using var bob = await Node.ConnectAsync(tokenB);

        await alice.AckAsync("relation.mute", new { account = b, add = 1 });
        var muted = (await alicePhone.WaitForTypeAsync("updateMuteList")).GetProperty("data");
        Assert.Equal(b, muted.GetProperty("account").GetString());
        Assert.True(muted.GetProperty("add").GetBoolean());

        var session = await alice.AckAsync("relation.mute_session", new { conv_id = convId, add = true });
        Assert.Equal(convId, session.GetProperty("conv_id").GetString());
        var sessionMuted = (await alicePhone.WaitForTypeAsync("updateMuteList", f => f.GetProperty("data").TryGetProperty("conv_id", out _))).GetProperty("data");
        Assert.Equal(convId, sessionMuted.GetProperty("conv_id").GetString());

        await bob.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "still delivered" });
        Assert.Equal("still delivered", (await alicePhone.WaitForTypeAsync("msg.new")).GetProperty("data").GetProperty("text").GetString());

        var lists = await alicePhone.AckAsync("relation.list");
        Assert.Equal(b, lists.GetProperty("mutelist")[0].GetProperty("account").GetString());
        Assert.Equal(convId, lists.GetProperty("muted_sessions")[0].GetProperty("conv_id").GetString());

        await alice.AckAsync("relation.mute", new { account = b, add = false });
        await alice.AckAsync("relation.mute_session", new { conv_id = convId, add = false });
        lists = await alice.AckAsync("relation.list");
        Assert.Equal(0, lists.GetProperty("mutelist").GetArrayLength());
        Assert.Equal(0, lists.GetProperty("muted_sessions").GetArrayLength());
    }

    [Fact]
    public async Task Bad_relation_requests_get_codes_and_the_socket_keeps_working()
    {
        var a = NodeFixture.NewUserId("badrel");
        await using var alice = await Node.ConnectAsync(await Node.LoginAsync(a));
        await alice.ExpectErrorAsync("relation.black", new { account = a, add = true }, ImErrorCodes.InvalidParameter);
        await alice.ExpectErrorAsync("relation.black", new { account = NodeFixture.NewUserId("nobody"), add = true }, ImErrorCodes.UnknownUser);
        await alice.ExpectErrorAsync("relation.black", new { account = "not valid!", add = true }, ImErrorCodes.InvalidUserId);
        await alice.ExpectErrorAsync("relation.black", new { account = "x" }, ImErrorCodes.MissingParameter);
        await alice.ExpectErrorAsync("relation.mute", new { account = "x", add = "maybe" }, ImErrorCodes.InvalidParameter);
        await alice.ExpectErrorAsync("relation.mute", new { add = true }, ImErrorCodes.MissingParameter);
        await alice.ExpectErrorAsync("relation.mute_session", new { conv_id = "no/such", add = true }, ImErrorCodes.InvalidParameter);
        // Only a conversation one is in can be muted: one that does not exist and someone else's answer alike.
        await alice.ExpectErrorAsync("relation.mute_session", new { conv_id = "0000000000000000000000000000dead", add = true }, ImErrorCodes.NotMember);
        var (b, c) = (NodeFixture.NewUserId("badrel"), NodeFixture.NewUserId("badrel"));
        await Node.LoginAsync(b);
        await Node.LoginAsync(c);
        await alice.ExpectErrorAsync("relation.mute_session", new { conv_id = await PrivateConversationAsync(b, c), add = true }, ImErrorCodes.NotMember);
        await alice.AckAsync("relation.mute_session", new { conv_id = "0000000000000000000000000000dead", add = false });
        await alice.PingAsync();
    }

    [Fact]
    public async Task A_full_list_refuses_one_more_entry_with_4013_and_still_removes()
    {
        var a = NodeFixture.NewUserId("full");
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(a));
        // Filled through the grain (muted conversations need no existing users), the last one over the socket.
        var relations = Node.Services.GetRequiredService<IGrainFactory>().GetGrain<IRelationGrain>(a);
        for (var i = 0; i < RelationLimits.MaxMutedSessions; i++) await relations.SetSessionMute($"conv{i:D6}", add: true, null);

        var other = NodeFixture.NewUserId("full");
        await Node.LoginAsync(other);
        var mine = await PrivateConversationAsync(a, other);
        await socket.ExpectErrorAsync("relation.mute_session", new { conv_id = mine, add = true }, ImErrorCodes.LimitExceeded);
        await socket.AckAsync("relation.mute_session", new { conv_id = "conv000000", add = false });
        await socket.AckAsync("relation.mute_session", new { conv_id = mine, add = true });
        var muted = (await socket.AckAsync("relation.list")).GetProperty("muted_sessions");
        Assert.Equal(RelationLimits.MaxMutedSessions, muted.GetArrayLength());
    }
}
