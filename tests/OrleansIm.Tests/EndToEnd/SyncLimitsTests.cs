using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// msg.sync cannot be made to multiply its reply: a conversation named twice is refused, and one reply holds at most
/// Gateway:MaxSyncMessages messages, shared among its conversations (has_more says to sync again).
/// </summary>
public sealed class SyncLimitsTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Gateway:MaxSyncMessages"] = "10" });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_conversation_named_twice_is_refused()
    {
        var (socket, convIds) = await ConversationsWithMessagesAsync(1, 3);
        await using var _ = socket;
        // Duplicate JSON keys: what a C# dictionary cannot express, a client can send.
        var conv = JsonSerializer.Serialize(convIds[0]);
        await socket.SendTextAsync("{\"type\":\"msg.sync\",\"id\":\"dup\",\"data\":{\"cursors\":{" + conv + ":0," + conv + ":0}}}");
        var reply = await socket.WaitForAsync(f => f.TryGetProperty("id", out var id) && id.GetString() == "dup");
        ImSocket.AssertError(reply, ImErrorCodes.InvalidParameter);
    }

    [Fact]
    public async Task One_reply_holds_at_most_the_configured_number_of_messages()
    {
        var (socket, convIds) = await ConversationsWithMessagesAsync(3, 10);
        await using var _ = socket;
        var sync = await socket.AckAsync("msg.sync", new { cursors = convIds.ToDictionary(id => id, _ => 0L), limit = 100 });

        var conversations = sync.GetProperty("conversations").EnumerateArray().ToList();
        Assert.Equal(3, conversations.Count);
        Assert.All(conversations, c =>
        {
            Assert.Equal(3, c.GetProperty("messages").GetArrayLength()); // 10 shared by 3
            Assert.True(c.GetProperty("has_more").GetBoolean());
            Assert.Equal([1L, 2, 3], c.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        });
    }

    private Task<(ImSocket Socket, List<string> ConvIds)> ConversationsWithMessagesAsync(int conversations, int messages) =>
        _node.ConversationsWithMessagesAsync("sync", conversations, messages, i => $"m{i}");
}
