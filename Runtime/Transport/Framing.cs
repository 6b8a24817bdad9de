using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using OrleansIm.Runtime.Messaging;

namespace OrleansIm.Runtime.Transport;

/// <summary>Frames on the wire: <c>[int32 little-endian length][payload]</c>.</summary>
internal static class Framing
{
    public const int HeaderBytes = 4;

    /// <summary>
    /// Cuts one complete frame off the front of <paramref name="buffer"/>. The length is checked before waiting for
    /// the payload, so a hostile length is refused instead of buffered.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < HeaderBytes) return false;

        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 0 || length > maxFrameBytes)
            throw new InvalidDataException($"Frame of {length} bytes exceeds the limit of {maxFrameBytes}.");

        if (buffer.Length - HeaderBytes < length) return false;
        payload = buffer.Slice(HeaderBytes, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>Writes one message frame into the pipe (not flushed). Nothing is written if the message is too large.</summary>
    public static void WriteMessage(PipeWriter writer, Message message, int maxFrameBytes)
    {
        var length = MessageCodec.GetEncodedLength(message);
        if (length > maxFrameBytes)
            throw new TransportException($"Message {message} is {length} bytes, over the frame limit of {maxFrameBytes}.");
        var span = writer.GetSpan(HeaderBytes + length);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        MessageCodec.Encode(message, span.Slice(HeaderBytes, length));
        writer.Advance(HeaderBytes + length);
    }

    public static void WriteFrame(PipeWriter writer, ReadOnlySpan<byte> payload)
    {
        var span = writer.GetSpan(HeaderBytes + payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span, payload.Length);
        payload.CopyTo(span[HeaderBytes..]);
        writer.Advance(HeaderBytes + payload.Length);
    }
}
