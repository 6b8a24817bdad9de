using System.Net;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Chatrooms;

/// <summary>Chatroom helpers over a test node's REST API and sockets.</summary>
public static class ChatroomClient
{
    /// <summary>Creates a chatroom through seed 003's create (conv_type 4) and returns its conv_id.</summary>
    public static async Task<string> CreateAsync(TestNode node, string creator, object? extend = null)
    {
        var (status, body) = await node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = creator, conv_type = 4, conv_extend = extend }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("code").GetInt32());
        return body.GetProperty("data").GetProperty("conv_id").GetString()!;
    }

    public static Task<JsonElement> EnterAsync(ImSocket socket, string convId, int? limit = null) =>
        limit is null ? socket.AckAsync("chatroom.enter", new { conv_id = convId }) : socket.AckAsync("chatroom.enter", new { conv_id = convId, limit });

    public static Task<JsonElement> ExitAsync(ImSocket socket, string convId) => socket.AckAsync("chatroom.exit", new { conv_id = convId });

    public static Task<JsonElement> InfoAsync(ImSocket socket, string convId) => socket.AckAsync("chatroom.info", new { conv_id = convId });

    public static Task<JsonElement> SendAsync(ImSocket socket, string convId, string text) =>
        socket.AckAsync("msg.send", new { conv_id = convId, type = -1, text, client_msg_id = Guid.NewGuid().ToString("N") });

    public static bool IsMessage(JsonElement frame, string convId, string? text = null) =>
        frame.GetProperty("type").GetString() == "msg.new"
        && frame.GetProperty("data").GetProperty("conv_id").GetString() == convId
        && (text is null || frame.GetProperty("data").GetProperty("text").GetString() == text);

    public static Task<JsonElement> WaitForMessageAsync(ImSocket socket, string convId, string text) =>
        socket.WaitForAsync(f => IsMessage(f, convId, text));

    /// <summary>
    /// Proves the socket got no msg.new of the room so far: a ping's pong is queued behind any frame the gateway queued
    /// before it, so if the first of (room message, pong) is the pong, no room message came ahead of it.
    /// </summary>
    public static async Task AssertNoRoomMessageAsync(ImSocket socket, string convId)
    {
        var id = "p" + Guid.NewGuid().ToString("N");
        await socket.SendTextAsync(JsonSerializer.Serialize(new { type = "ping", id }));
        var first = await socket.WaitForAsync(f => IsMessage(f, convId)
            || (f.GetProperty("type").GetString() == "pong" && f.TryGetProperty("id", out var i) && i.GetString() == id));
        Assert.Equal("pong", first.GetProperty("type").GetString());
    }

    /// <summary>Waits until chatroom.info (asked over <paramref name="socket"/>) shows <paramref name="online"/> users.</summary>
    public static Task WaitForOnlineAsync(ImSocket socket, string convId, int online, int? connections = null) =>
        Eventually.True(async () =>
        {
            var info = await InfoAsync(socket, convId);
            return info.GetProperty("online").GetInt32() == online
                && (connections is null || info.GetProperty("connections").GetInt32() == connections);
        }, TimeSpan.FromSeconds(20), $"online {online}");
}
