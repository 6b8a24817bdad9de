using System.Net;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Recall;

/// <summary>Users who logged in and a group conversation of them, made over the node's real HTTP API.</summary>
public static class ChatSetup
{
    /// <returns>The user ids (first = creator), their tokens, and the conversation id.</returns>
    public static async Task<(string[] Users, string[] Tokens, string ConvId)> GroupAsync(TestNode node, int members, string prefix = "rc")
    {
        var users = Enumerable.Range(0, members).Select(_ => NodeFixture.NewUserId(prefix)).ToArray();
        var tokens = new string[members];
        for (var i = 0; i < members; i++) tokens[i] = await node.LoginAsync(users[i]);
        var (status, created) = await node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = users[0], to_client_ids = users[1..], conv_type = 3 }));
        Assert.Equal(HttpStatusCode.OK, status);
        return (users, tokens, created.GetProperty("data").GetProperty("conv_id").GetString()!);
    }

    /// <summary>Sends texts "t1".."tN" from the socket; returns the acks' (seq, msg_id).</summary>
    public static async Task<(long Seq, string MsgId)[]> SendAsync(ImSocket socket, string convId, int count, string text = "t")
    {
        var sent = new (long, string)[count];
        for (var i = 0; i < count; i++)
        {
            var ack = await socket.AckAsync("msg.send", new { conv_id = convId, type = -1, text = $"{text}{i + 1}" });
            sent[i] = (ack.GetProperty("seq").GetInt64(), ack.GetProperty("msg_id").GetString()!);
        }
        return sent;
    }

    /// <summary>The seqs of a reply's "messages" array, in the reply's order.</summary>
    public static long[] Seqs(JsonElement messages) => messages.EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToArray();

    /// <summary>The messages the user sees through all three read paths: msg.history by page, by cursor, msg.sync from 0.</summary>
    public static async Task<(JsonElement Page, JsonElement Before, JsonElement Sync)> ReadAllAsync(ImSocket socket, string convId)
    {
        var page = await socket.AckAsync("msg.history", new { conv_id = convId, page = 1, size = 50 });
        var before = await socket.AckAsync("msg.history", new { conv_id = convId, before_seq = 0, limit = 50 });
        var sync = await socket.AckAsync("msg.sync", new { cursors = new Dictionary<string, long> { [convId] = 0 }, limit = 50 });
        return (page, before.GetProperty("messages"), sync.GetProperty("conversations")[0].GetProperty("messages"));
    }

    /// <summary>GET /im/conversations/{conv_id}/message (server API), as client_id sees it when given.</summary>
    public static async Task<JsonElement> RestListAsync(TestNode node, string convId, string? clientId = null)
    {
        var query = "?page=1&size=50" + (clientId is null ? "" : "&client_id=" + clientId);
        var (status, body) = await node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/message{query}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("data");
    }
}
