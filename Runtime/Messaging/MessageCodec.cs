using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OrleansIm.Runtime.Messaging;

/// <summary>
/// Binary form of a <see cref="Message"/> for the wire. Layout (little-endian):
/// <code>
/// u8 version(=2) | i64 Id | u8 Direction | u8 Status | i32 MethodIndex | i32 ForwardCount | i64 DeadlineTicks
/// | str Target.Type | str Target.Key | str InterfaceName | str SenderId | str ForwardedBy | i32 bodyLength | body
/// </code>
/// where str is i32 byte length + UTF-8. Every length is checked against the bytes actually present before
/// anything is allocated, so a hostile length costs nothing. A null string (only in a default GrainId) is sent as "".
/// </summary>
internal static class MessageCodec
{
    public const byte Version = 2;

    private const int FixedHeaderBytes = 1 + 8 + 1 + 1 + 4 + 4 + 8;

    // Strict: a peer sending invalid UTF-8 is broken or hostile, and silently substituting U+FFFD would corrupt ids.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static int GetEncodedLength(Message message)
    {
        long length = FixedHeaderBytes
            + 4L + Utf8.GetByteCount(message.Target.Type ?? "")
            + 4L + Utf8.GetByteCount(message.Target.Key ?? "")
            + 4L + Utf8.GetByteCount(message.InterfaceName)
            + 4L + Utf8.GetByteCount(message.SenderId)
            + 4L + Utf8.GetByteCount(message.ForwardedBy)
            + 4L + message.Body.Length;
        if (length > int.MaxValue) throw new ArgumentException($"Message {message} is too large to encode ({length} bytes).", nameof(message));
        return (int)length;
    }

    public static byte[] Encode(Message message)
    {
        var bytes = new byte[GetEncodedLength(message)];
        Encode(message, bytes);
        return bytes;
    }

    /// <summary>Writes the message at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(Message message, Span<byte> destination)
    {
        var length = GetEncodedLength(message);
        if (destination.Length < length)
            throw new ArgumentException($"Destination has {destination.Length} bytes; the message needs {length}.", nameof(destination));

        var span = destination;
        span[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], message.Id);
        span[9] = (byte)message.Direction;
        span[10] = (byte)message.Status;
        BinaryPrimitives.WriteInt32LittleEndian(span[11..], message.MethodIndex);
        BinaryPrimitives.WriteInt32LittleEndian(span[15..], message.ForwardCount);
        BinaryPrimitives.WriteInt64LittleEndian(span[19..], message.DeadlineTicks);
        span = span[FixedHeaderBytes..];

        WriteString(ref span, message.Target.Type ?? "");
        WriteString(ref span, message.Target.Key ?? "");
        WriteString(ref span, message.InterfaceName);
        WriteString(ref span, message.SenderId);
        WriteString(ref span, message.ForwardedBy);

        BinaryPrimitives.WriteInt32LittleEndian(span, message.Body.Length);
        message.Body.CopyTo(span[4..]);
        return length;
    }

    /// <summary>Decodes exactly one message; throws <see cref="FormatException"/> on anything malformed.</summary>
    public static Message Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < FixedHeaderBytes)
            throw new FormatException($"Message is truncated: {data.Length} bytes, the fixed header alone is {FixedHeaderBytes}.");
        if (data[0] != Version) throw new FormatException($"Unknown message format version {data[0]} (expected {Version}).");

        var id = BinaryPrimitives.ReadInt64LittleEndian(data[1..]);
        var direction = (MessageDirection)data[9];
        if (direction is not (MessageDirection.Request or MessageDirection.Response or MessageDirection.OneWay))
            throw new FormatException($"Unknown message direction {data[9]}.");
        var status = (ResponseStatus)data[10];
        if (status is not (ResponseStatus.Success or ResponseStatus.Error))
            throw new FormatException($"Unknown response status {data[10]}.");
        var methodIndex = BinaryPrimitives.ReadInt32LittleEndian(data[11..]);
        var forwardCount = BinaryPrimitives.ReadInt32LittleEndian(data[15..]);
        if (forwardCount < 0) throw new FormatException($"Negative forward count {forwardCount}.");
        var deadline = BinaryPrimitives.ReadInt64LittleEndian(data[19..]);

        var rest = data[FixedHeaderBytes..];
        var type = ReadString(ref rest, "target type");
        var key = ReadString(ref rest, "target key");
        var interfaceName = ReadString(ref rest, "interface name");
        var senderId = ReadString(ref rest, "sender id");
        var forwardedBy = ReadString(ref rest, "forwarded by");
        var body = ReadBytes(ref rest, "body").ToArray();
        if (!rest.IsEmpty) throw new FormatException($"Message has {rest.Length} unexpected trailing bytes.");

        return new Message
        {
            Id = id,
            Direction = direction,
            Status = status,
            MethodIndex = methodIndex,
            ForwardCount = forwardCount,
            DeadlineTicks = deadline,
            Target = new GrainId(type, key),
            InterfaceName = interfaceName,
            SenderId = senderId,
            ForwardedBy = forwardedBy,
            Body = body,
        };
    }

    /// <summary>Decodes a message that may span several pipe segments.</summary>
    public static Message Decode(in ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment) return Decode(data.FirstSpan);
        if (data.Length > int.MaxValue) throw new FormatException($"Message of {data.Length} bytes is too large.");
        var length = (int)data.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            data.CopyTo(buffer);
            return Decode(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteString(ref Span<byte> span, string value)
    {
        var count = Utf8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, count);
        span = span[(4 + count)..];
    }

    private static string ReadString(ref ReadOnlySpan<byte> span, string field)
    {
        var bytes = ReadBytes(ref span, field);
        try
        {
            return Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new FormatException($"Message {field} is not valid UTF-8.", ex);
        }
    }

    private static ReadOnlySpan<byte> ReadBytes(ref ReadOnlySpan<byte> span, string field)
    {
        if (span.Length < 4) throw new FormatException($"Message is truncated before the length of its {field}.");
        var length = BinaryPrimitives.ReadInt32LittleEndian(span);
        // Checked against what is present, so a hostile length never drives an allocation.
        if (length < 0 || length > span.Length - 4)
            throw new FormatException($"Message {field} claims {length} bytes but only {span.Length - 4} remain.");
        var bytes = span.Slice(4, length);
        span = span[(4 + length)..];
        return bytes;
    }
}
