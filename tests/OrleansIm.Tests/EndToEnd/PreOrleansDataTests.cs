using System.Net;
using System.Text.Json;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// A data directory written by the node before it ran on Orleans opens without loss. EndToEnd/Data/pre-orleans.db
/// was written by that node (commit aabf4a3): users alice and bob (avatars set), group conversation
/// <see cref="ConvId"/> with conv_extend {"topic":"pre-orleans"}, and three messages from alice, "old 1".."old 3".
/// </summary>
public sealed class PreOrleansDataTests() : PreOrleansNodeTests("orleansim-e2e-pre-")
{
    [Fact]
    public async Task Users_conversation_and_history_written_before_orleans_are_all_there()
    {
        // The profile was stored by the old node: a login without an avatar keeps the stored one.
        var (loginStatus, login) = await Node.PostLoginAsync(new { id = "alice", nickname = "Alice" });
        Assert.Equal(HttpStatusCode.OK, loginStatus);
        Assert.Equal("http://a/alice.png", login.GetProperty("data").GetProperty("imUserVo").GetProperty("avatar").GetString());
        var tokenA = login.GetProperty("data").GetProperty("token").GetString()!;
        var tokenB = await Node.LoginAsync("bob");

        var (status, query) = await Node.ApiAsync(HttpMethod.Get, "/im/conversations?where=" + Uri.EscapeDataString($"[[\"conv_id\",\"=\",\"{ConvId}\"]]"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("pre-orleans", query.GetProperty("data").GetProperty("data")[0].GetProperty("conv_extend").GetProperty("topic").GetString());

        await using var bob = await Node.ConnectAsync(tokenB);
        var history = await bob.AckAsync("msg.history", new { conv_id = ConvId });
        Assert.Equal(3, history.GetProperty("total").GetInt32());
        Assert.Equal(["old 3", "old 2", "old 1"], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));

        // The sequence goes on from the stored messages, and membership came from the old grain state.
        await using var alice = await Node.ConnectAsync(tokenA);
        var ack = await alice.AckAsync("msg.send", new { conv_id = ConvId, type = -1, text = "on orleans" });
        Assert.Equal(4, ack.GetProperty("seq").GetInt64());
        var pushed = await bob.WaitForTypeAsync("msg.new");
        Assert.Equal("on orleans", pushed.GetProperty("data").GetProperty("text").GetString());
    }
}
