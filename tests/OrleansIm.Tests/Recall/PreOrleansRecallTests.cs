using System.Net;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Recall;

/// <summary>
/// The data directory written by the node before Orleans (EndToEnd/Data/pre-orleans.db: its messages table has no
/// recalled column and there are no per-user tables) opens on today's node, which adds them, and recall, delete for
/// self and clear history work on its old messages.
/// </summary>
public sealed class PreOrleansRecallTests() : PreOrleansNodeTests("orleansim-e2e-pre-recall-")
{
    [Fact]
    public async Task Old_messages_can_be_recalled_deleted_and_cleared()
    {
        var tokenB = await Node.LoginAsync("bob");
        await using var bob = await Node.ConnectAsync(tokenB);
        var history = await bob.AckAsync("msg.history", new { conv_id = ConvId });
        Assert.All(history.GetProperty("messages").EnumerateArray(), m => Assert.False(m.GetProperty("recalled").GetBoolean()));

        var (status, recalled) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{ConvId}/message/recall", """{"seq":2}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(recalled.GetProperty("data").GetProperty("recalled").GetBoolean());
        await bob.AckAsync("msg.delete_self", new { conv_id = ConvId, seqs = new[] { 3 } });

        var after = await bob.AckAsync("msg.history", new { conv_id = ConvId });
        Assert.Equal(new long[] { 2, 1 }, ChatSetup.Seqs(after.GetProperty("messages")));
        Assert.True(after.GetProperty("messages")[0].GetProperty("recalled").GetBoolean());
        Assert.Equal("old 1", after.GetProperty("messages")[1].GetProperty("text").GetString());

        await Node.RestartAsync();
        await using var again = await Node.ConnectAsync(tokenB);
        Assert.Equal(3, (await again.AckAsync("msg.clear_history", new { conv_id = ConvId })).GetProperty("cleared_seq").GetInt64());
        Assert.Equal(0, (await again.AckAsync("msg.history", new { conv_id = ConvId })).GetProperty("total").GetInt32());
    }
}
