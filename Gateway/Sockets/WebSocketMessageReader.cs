using System.Buffers;
using System.Net.WebSockets;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// Reads whole WebSocket messages without holding a buffer between them: it waits for the next frame with a
/// zero-byte receive and only then rents a buffer from the shared pool, so an idle socket costs no receive buffer
/// (issue 12: an idle connection used to hold 16 KiB of buffers for its whole life).
/// </summary>
public static class WebSocketMessageReader
{
    /// <summary>The first buffer rented for a message; most frames fit in it.</summary>
    public const int FirstBufferBytes = 4 * 1024;

    /// <summary>
    /// Reads the next message. A message longer than <paramref name="maxBytes"/> is read to its end but not kept
    /// (<see cref="ReceivedMessage.Oversize"/>). Ping and pong frames are answered inside the socket and never seen here.
    /// </summary>
    public static async ValueTask<ReceivedMessage> ReadAsync(WebSocket socket, int maxBytes, CancellationToken cancellation) =>
        await ReadMessageAsync(socket, await socket.ReceiveAsync(Memory<byte>.Empty, cancellation), maxBytes, cancellation);

    /// <summary>
    /// Reads the rest of the message whose first frame header a zero-byte receive (<paramref name="header"/>) has
    /// waited for. A caller that waits itself keeps one pending frame fewer per idle socket than <see cref="ReadAsync"/>.
    /// </summary>
    public static async ValueTask<ReceivedMessage> ReadMessageAsync(WebSocket socket, ValueWebSocketReceiveResult header, int maxBytes, CancellationToken cancellation)
    {
        // The header's EndOfMessage is true only for an empty final frame: the message is then complete, and
        // another receive would wait for the next message instead.
        var result = header;
        if (result.MessageType == WebSocketMessageType.Close) return new ReceivedMessage(WebSocketMessageType.Close, null, 0, false);
        if (result.EndOfMessage) return new ReceivedMessage(result.MessageType, null, 0, false);

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(FirstBufferBytes, maxBytes + 1));
        var length = 0;
        var oversize = false;
        try
        {
            do
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        // Past the limit: keep reading to the end of the message into the same buffer, keep nothing.
                        oversize = true;
                        length = 0;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }
                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return new ReceivedMessage(WebSocketMessageType.Close, null, 0, false);
                }
                length += result.Count;
            }
            while (!result.EndOfMessage);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (oversize || length > maxBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return new ReceivedMessage(result.MessageType, null, 0, true);
        }
        return new ReceivedMessage(result.MessageType, buffer, length, false);
    }
}
