using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Recall;

/// <summary>A recall, a delete for self and a cleared history survive a restart of the node (they live in the message store).</summary>
public sealed class RecallRestartTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Recalled_deleted_and_cleared_messages_stay_so_after_a_restart()
    {
        var (users, tokens, convId) = await ChatSetup.GroupAsync(_node, 3);
        await using (var alice = await _node.ConnectAsync(tokens[0]))
        await using (var bob = await _node.ConnectAsync(tokens[1]))
        await using (var carol = await _node.ConnectAsync(tokens[2]))
        {
            await ChatSetup.SendAsync(alice, convId, 4);
            await alice.AckAsync("msg.recall", new { conv_id = convId, seq = 3 });
            await bob.AckAsync("msg.delete_self", new { conv_id = convId, seqs = new[] { 4 } });
            await carol.AckAsync("msg.clear_history", new { conv_id = convId });
        }

        await _node.RestartAsync();

        await using var aliceAgain = await _node.ConnectAsync(tokens[0]);
        await using var bobAgain = await _node.ConnectAsync(tokens[1]);
        await using var carolAgain = await _node.ConnectAsync(tokens[2]);
        var (alicePage, _, aliceSync) = await ChatSetup.ReadAllAsync(aliceAgain, convId);
        Assert.Equal(4, alicePage.GetProperty("total").GetInt32());
        Assert.True(aliceSync[2].GetProperty("recalled").GetBoolean());
        Assert.False(aliceSync[3].GetProperty("recalled").GetBoolean());
        var (_, bobBefore, _) = await ChatSetup.ReadAllAsync(bobAgain, convId);
        Assert.Equal(new long[] { 3, 2, 1 }, ChatSetup.Seqs(bobBefore));
        Assert.True(bobBefore[0].GetProperty("recalled").GetBoolean());
        var (_, _, carolSync) = await ChatSetup.ReadAllAsync(carolAgain, convId);
        Assert.Equal(0, carolSync.GetArrayLength());

        // The sequence goes on after the restart; carol sees the new message, and a second recall is still refused.
        var next = await ChatSetup.SendAsync(aliceAgain, convId, 1, "new");
        Assert.Equal(5, next[0].Seq);
        Assert.Equal(new long[] { 5 }, ChatSetup.Seqs((await ChatSetup.ReadAllAsync(carolAgain, convId)).Sync));
        await aliceAgain.ExpectErrorAsync("msg.recall", new { conv_id = convId, seq = 3 }, OrleansIm.Grains.Interfaces.ImErrorCodes.AlreadyRecalled);
        // Bob: 1, 2, 3 (recalled) and the new 5; his deleted 4 stays away.
        Assert.Equal(4, (await ChatSetup.RestListAsync(_node, convId, users[1])).GetProperty("total").GetInt32());
    }
}
