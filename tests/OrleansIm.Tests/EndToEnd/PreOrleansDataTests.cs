using System.Net;
using System.Text.Json;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// A data directory written by the node before it ran on Orleans opens without loss. EndToEnd/Data/pre-orleans.db
/// was written by that node (commit aabf4a3): users alice and bob (avatars set), group conversation
/// <see cref="ConvId"/> with conv_extend {"topic":"pre-orleans"}, and three messages from alice, "old 1".."old 3".
/// </summary>
public sealed class PreOrleansDataTests : IAsyncLifetime
{
    private const string ConvId = "142c5a19132645ce7fef4d905bea1ee7";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleansim-e2e-pre-" + Guid.NewGuid().ToString("N")[..12]);
    private TestNode _node = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Data", "pre-orleans.db"), Path.Combine(_directory, "orleansim.db"));
        _node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Storage:DataDirectory"] = _directory });
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Users_conversation_and_history_written_before_orleans_are_all_there()
    {
        // The profile was stored by the old node: a login without an avatar keeps the stored one.
        var (loginStatus, login) = await _node.PostLoginAsync(new { id = "alice", nickname = "Alice" });
        Assert.Equal(HttpStatusCode.OK, loginStatus);
        Assert.Equal("http://a/alice.png", login.GetProperty("data").GetProperty("imUserVo").GetProperty("avatar").GetString());
        var tokenA = login.GetProperty("data").GetProperty("token").GetString()!;
        var tokenB = await _node.LoginAsync("bob");

        var (status, query) = await _node.ApiAsync(HttpMethod.Get, "/im/conversations?where=" + Uri.EscapeDataString($"[[\"conv_id\",\"=\",\"{ConvId}\"]]"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("pre-orleans", query.GetProperty("data").GetProperty("data")[0].GetProperty("conv_extend").GetProperty("topic").GetString());

        await using var bob = await _node.ConnectAsync(tokenB);
        var history = await bob.AckAsync("msg.history", new { conv_id = ConvId });
        Assert.Equal(3, history.GetProperty("total").GetInt32());
        Assert.Equal(["old 3", "old 2", "old 1"], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));

        // The sequence goes on from the stored messages, and membership came from the old grain state.
        await using var alice = await _node.ConnectAsync(tokenA);
        var ack = await alice.AckAsync("msg.send", new { conv_id = ConvId, type = -1, text = "on orleans" });
        Assert.Equal(4, ack.GetProperty("seq").GetInt64());
        var pushed = await bob.WaitForTypeAsync("msg.new");
        Assert.Equal("on orleans", pushed.GetProperty("data").GetProperty("text").GetString());
    }
}
