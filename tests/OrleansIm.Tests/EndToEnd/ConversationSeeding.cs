using System.Text.Json;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>Sets up a connected user with private conversations full of messages, for tests of reply and sync limits.</summary>
public static class ConversationSeeding
{
    /// <summary>
    /// Logs in two new users, connects the first and creates <paramref name="conversations"/> conversations between
    /// them, each with <paramref name="messages"/> messages sent over the socket (text = <paramref name="text"/>(i), i from 1).
    /// </summary>
    public static async Task<(ImSocket Socket, List<string> ConvIds)> ConversationsWithMessagesAsync(
        this TestNode node, string userPrefix, int conversations, int messages, Func<int, string> text)
    {
        var a = NodeFixture.NewUserId(userPrefix);
        var b = NodeFixture.NewUserId(userPrefix);
        var token = await node.LoginAsync(a);
        await node.LoginAsync(b);
        var socket = await node.ConnectAsync(token);
        var ids = new List<string>();
        for (var c = 0; c < conversations; c++)
        {
            var (_, created) = await node.ApiAsync(HttpMethod.Post, "/im/conversations",
                JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 2 }));
            var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;
            for (var i = 1; i <= messages; i++) await socket.AckAsync("msg.send", new { conv_id = convId, type = -1, text = text(i) });
            ids.Add(convId);
        }
        return (socket, ids);
    }
}
