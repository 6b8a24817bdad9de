using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;
using static OrleansIm.Tests.Sessions.SessionClient;

namespace OrleansIm.Tests.Sessions;

/// <summary>msgReceipts (1:1) and the group receipt queries msg.receipts / msg.readers over real sockets.</summary>
public sealed class ReadReceiptTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_private_read_reaches_every_device_of_the_sender_as_msgReceipts()
    {
        var (a, b, tokenA, tokenB, convId) = await PrivatePairAsync(Node);
        await using var aliceWeb = await Node.ConnectAsync(tokenA, "im_web");
        await using var alicePhone = await Node.ConnectAsync(tokenA, "im_app_android");
        await using var bob = await Node.ConnectAsync(tokenB, "im_web");

        await SendAsync(aliceWeb, convId, 2);
        await bob.AckAsync("msg.read", new { conv_id = convId, seq = 2 });

        foreach (var device in new[] { aliceWeb, alicePhone })
        {
            var receipt = (await device.WaitForTypeAsync("msgReceipts")).GetProperty("data");
            Assert.Equal(convId, receipt.GetProperty("conv_id").GetString());
            Assert.Equal(b, receipt.GetProperty("reader").GetString());
            Assert.Equal(2, receipt.GetProperty("seq").GetInt64());
            Assert.True(receipt.GetProperty("time").GetInt64() > 0);
        }
        // The same position is also queryable: alice's message 2 is read by its one other member.
        var counts = await aliceWeb.AckAsync("msg.receipts", new { conv_id = convId, seqs = new[] { 2 } });
        var row = counts.GetProperty("receipts")[0];
        Assert.Equal(1, row.GetProperty("read").GetInt32());
        Assert.Equal(0, row.GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task Group_read_counts_and_who_read_follow_members_read_positions()
    {
        var users = new List<string>();
        var tokens = new List<string>();
        foreach (var name in new[] { "alice", "bob", "carol", "dave" })
        {
            var id = NodeFixture.NewUserId(name);
            users.Add(id);
            tokens.Add(await Node.LoginAsync(id));
        }
        var convId = await CreateConversationAsync(Node, users[0], ConversationTypes.Group, users[1], users[2], users[3]);
        await using var alice = await Node.ConnectAsync(tokens[0]);
        await using var bob = await Node.ConnectAsync(tokens[1]);
        await using var carol = await Node.ConnectAsync(tokens[2]);
        var ack = await SendAsync(alice, convId, 2);
        var msgId2 = ack.GetProperty("msg_id").GetString();

        await bob.AckAsync("msg.read", new { conv_id = convId, seq = 2 });
        await carol.AckAsync("msg.read", new { conv_id = convId, seq = 1 });

        // The conversation learns read positions by a one-way call from each reader's user grain.
        JsonElement receipts = default;
        await Eventually.True(async () =>
        {
            receipts = (await alice.AckAsync("msg.receipts", new { conv_id = convId, seqs = new[] { 1, 2, 99 } })).GetProperty("receipts");
            return receipts.GetArrayLength() == 2 && receipts[0].GetProperty("read").GetInt32() == 2 && receipts[1].GetProperty("read").GetInt32() == 1;
        });
        Assert.Equal(1, receipts[0].GetProperty("seq").GetInt64());
        Assert.Equal(1, receipts[0].GetProperty("unread").GetInt32()); // dave; the sender is not counted
        Assert.Equal(2, receipts[1].GetProperty("unread").GetInt32());
        Assert.Equal(msgId2, receipts[1].GetProperty("msg_id").GetString());
        Assert.Equal(users[0], receipts[1].GetProperty("from_client").GetString());

        // The sender's devices get coalesced teamMsgReceipts (each covers the messages whose counts changed since the
        // last one): merged in arrival order, they end at the final counts.
        var latest = new Dictionary<long, JsonElement>();
        while (!(latest.TryGetValue(1, out var r1) && r1.GetProperty("read").GetInt32() == 2
                 && latest.TryGetValue(2, out var r2) && r2.GetProperty("read").GetInt32() == 1))
        {
            var pushed = (await alice.WaitForTypeAsync("teamMsgReceipts")).GetProperty("data");
            Assert.Equal(convId, pushed.GetProperty("conv_id").GetString());
            foreach (var row in pushed.GetProperty("receipts").EnumerateArray()) latest[row.GetProperty("seq").GetInt64()] = row;
        }
        Assert.Equal(2, latest[2].GetProperty("unread").GetInt32());
        Assert.Equal(msgId2, latest[2].GetProperty("msg_id").GetString());

        var readers = await alice.AckAsync("msg.readers", new { conv_id = convId, seq = 1, limit = 1 });
        var firstTwo = new[] { users[1], users[2] }.Order(StringComparer.Ordinal).ToList();
        Assert.Equal([firstTwo[0]], readers.GetProperty("users").EnumerateArray().Select(u => u.GetString()).ToList());
        Assert.True(readers.GetProperty("has_more").GetBoolean());
        var rest = await alice.AckAsync("msg.readers", new { conv_id = convId, seq = 1, limit = 1, cursor = readers.GetProperty("cursor").GetString() });
        Assert.Equal([firstTwo[1]], rest.GetProperty("users").EnumerateArray().Select(u => u.GetString()).ToList());
        Assert.False(rest.GetProperty("has_more").GetBoolean());

        var notRead = await bob.AckAsync("msg.readers", new { conv_id = convId, seq = 2, unread = 1 });
        Assert.Equal(new[] { users[2], users[3] }.Order(StringComparer.Ordinal).ToList(),
            notRead.GetProperty("users").EnumerateArray().Select(u => u.GetString()!).ToList());
    }

    [Fact]
    public async Task Receipt_queries_are_bounded_and_members_only()
    {
        var a = NodeFixture.NewUserId("alice");
        var b = NodeFixture.NewUserId("bob");
        var stranger = NodeFixture.NewUserId("eve");
        var tokenA = await Node.LoginAsync(a);
        await Node.LoginAsync(b);
        var tokenE = await Node.LoginAsync(stranger);
        var convId = await CreateConversationAsync(Node, a, ConversationTypes.Group, b);
        await using var alice = await Node.ConnectAsync(tokenA);
        await using var eve = await Node.ConnectAsync(tokenE);

        var tooMany = Enumerable.Range(1, ReceiptLimits.MaxSeqsPerQuery + 1).ToArray();
        await alice.ExpectErrorAsync("msg.receipts", new { conv_id = convId, seqs = tooMany }, ImErrorCodes.LimitExceeded);
        await alice.ExpectErrorAsync("msg.receipts", new { conv_id = convId }, ImErrorCodes.MissingParameter);
        await alice.ExpectErrorAsync("msg.receipts", new { conv_id = convId, seqs = new[] { "x" } }, ImErrorCodes.InvalidParameter);
        await alice.ExpectErrorAsync("msg.readers", new { conv_id = convId, seq = 1, limit = ReceiptLimits.MaxReadersPage + 1 }, ImErrorCodes.LimitExceeded);
        await eve.ExpectErrorAsync("msg.receipts", new { conv_id = convId, seqs = new[] { 1 } }, ImErrorCodes.NotMember);
        await eve.ExpectErrorAsync("msg.readers", new { conv_id = convId, seq = 1 }, ImErrorCodes.NotMember);
    }
}
