using System.Buffers;
using System.Net.WebSockets;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// One whole WebSocket message read by <see cref="WebSocketMessageReader"/>, in a buffer rented from
/// <see cref="ArrayPool{T}.Shared"/>: dispose it (once) when done with <see cref="Payload"/>.
/// </summary>
public readonly struct ReceivedMessage : IDisposable
{
    private readonly byte[]? _buffer;

    internal ReceivedMessage(WebSocketMessageType type, byte[]? buffer, int length, bool oversize)
    {
        Type = type;
        _buffer = buffer;
        Length = length;
        Oversize = oversize;
    }

    /// <summary>Close: the client's close frame arrived (no payload).</summary>
    public WebSocketMessageType Type { get; }

    /// <summary>The message was longer than the reader's limit: it was read to its end but not kept (<see cref="Payload"/> is empty).</summary>
    public bool Oversize { get; }

    /// <summary>Bytes of the message kept in <see cref="Payload"/>.</summary>
    public int Length { get; }

    public ReadOnlyMemory<byte> Payload => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => Payload.Span;

    public void Dispose()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
    }
}
