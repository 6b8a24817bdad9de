using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;

namespace OrleansIm.Tests.Chatrooms;

/// <summary>
/// A light /ws client for big audiences (ImSocket's 1 MiB receive buffer each would cost gigabytes for thousands): it
/// enters a room and then waits for a message with a given text, reading frames through a small buffer.
/// </summary>
public sealed class ChatroomListener : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[16 * 1024];

    public static async Task<ChatroomListener> ConnectAsync(TestNode node, string token)
    {
        var listener = new ChatroomListener();
        listener._socket.Options.SetRequestHeader("token", token);
        listener._socket.Options.SetRequestHeader("deviceType", "im_web");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await listener._socket.ConnectAsync(node.WsUri, timeout.Token);
        return listener;
    }

    /// <summary>Enters the room and returns the ack's data.</summary>
    public async Task<JsonElement> EnterAsync(string convId)
    {
        await _socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "chatroom.enter", id = "enter", data = new { conv_id = convId, limit = 0 } })),
            WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = await ReadUntilAsync(f => f.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == "enter");
        if (reply.GetProperty("type").GetString() != "chatroom.enter.ack") throw new InvalidOperationException("Enter failed: " + reply);
        return reply.GetProperty("data");
    }

    public Task<JsonElement> WaitForMessageAsync(string convId, string text) => ReadUntilAsync(f => ChatroomClient.IsMessage(f, convId, text));

    private async Task<JsonElement> ReadUntilAsync(Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var message = new MemoryStream();
        while (true)
        {
            message.SetLength(0);
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(_buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException($"Closed: {result.CloseStatus} {result.CloseStatusDescription}");
                message.Write(_buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            var frame = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            if (match(frame)) return frame;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (_socket.State == WebSocketState.Open) await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        _socket.Dispose();
    }
}
