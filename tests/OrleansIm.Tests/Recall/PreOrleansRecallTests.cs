using System.Net;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Recall;

/// <summary>
/// The data directory written by the node before Orleans (EndToEnd/Data/pre-orleans.db: its messages table has no
/// recalled column and there are no per-user tables) opens on today's node, which adds them, and recall, delete for
/// self and clear history work on its old messages.
/// </summary>
public sealed class PreOrleansRecallTests : IAsyncLifetime
{
    private const string ConvId = "142c5a19132645ce7fef4d905bea1ee7";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleansim-e2e-pre-recall-" + Guid.NewGuid().ToString("N")[..12]);
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
    public async Task Old_messages_can_be_recalled_deleted_and_cleared()
    {
        var tokenB = await _node.LoginAsync("bob");
        await using var bob = await _node.ConnectAsync(tokenB);
        var history = await bob.AckAsync("msg.history", new { conv_id = ConvId });
        Assert.All(history.GetProperty("messages").EnumerateArray(), m => Assert.False(m.GetProperty("recalled").GetBoolean()));

        var (status, recalled) = await _node.ApiAsync(HttpMethod.Post, $"/im/conversations/{ConvId}/message/recall", """{"seq":2}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(recalled.GetProperty("data").GetProperty("recalled").GetBoolean());
        await bob.AckAsync("msg.delete_self", new { conv_id = ConvId, seqs = new[] { 3 } });

        var after = await bob.AckAsync("msg.history", new { conv_id = ConvId });
        Assert.Equal(new long[] { 2, 1 }, ChatSetup.Seqs(after.GetProperty("messages")));
        Assert.True(after.GetProperty("messages")[0].GetProperty("recalled").GetBoolean());
        Assert.Equal("old 1", after.GetProperty("messages")[1].GetProperty("text").GetString());

        await _node.RestartAsync();
        await using var again = await _node.ConnectAsync(tokenB);
        Assert.Equal(3, (await again.AckAsync("msg.clear_history", new { conv_id = ConvId })).GetProperty("cleared_seq").GetInt64());
        Assert.Equal(0, (await again.AckAsync("msg.history", new { conv_id = ConvId })).GetProperty("total").GetInt32());
    }
}
