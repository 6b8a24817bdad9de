using System.Net.WebSockets;

namespace OrleansIm.ToolsShared;

/// <summary>Reads one whole WebSocket message into a buffer; shared by the tools' clients and the floor relay.</summary>
public static class WebSocketMessages
{
    /// <returns>The bytes read (a message longer than the buffer is cut at its size) and the message type.</returns>
    public static async Task<(int Count, WebSocketMessageType Type)> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
            count += result.Count;
        } while (!result.EndOfMessage && count < buffer.Length);
        return (count, result.MessageType);
    }
}
