using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;

namespace OrleansIm.Runtime.Transport;

/// <summary>
/// The hello each side sends first, as an ordinary frame: <c>"OIMH" | u8 version | u16 LE length | UTF-8 process id</c>.
/// The magic turns a stray client (a browser, a port scanner) into a clean rejection instead of a garbage message.
/// </summary>
internal static class Handshake
{
    public const byte Version = 1;
    public const int MaxProcessIdBytes = 256;

    private static ReadOnlySpan<byte> Magic => "OIMH"u8;

    private const int MaxHelloBytes = 4 + 1 + 2 + MaxProcessIdBytes;

    private static readonly UTF8Encoding Utf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Sends our hello and reads the peer's; returns the peer's process id.</summary>
    public static async Task<string> ExchangeAsync(PipeReader reader, PipeWriter writer, string localProcessId, CancellationToken cancellationToken)
    {
        WriteHello(writer, localProcessId);
        await writer.FlushAsync(cancellationToken);
        return await ReadHelloAsync(reader, cancellationToken);
    }

    private static void WriteHello(PipeWriter writer, string processId)
    {
        var idBytes = Utf8.GetBytes(processId);
        if (idBytes.Length is 0 or > MaxProcessIdBytes)
            throw new ArgumentException($"Process id must be 1..{MaxProcessIdBytes} UTF-8 bytes.", nameof(processId));
        var payload = new byte[Magic.Length + 1 + 2 + idBytes.Length];
        Magic.CopyTo(payload);
        payload[4] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(5), (ushort)idBytes.Length);
        idBytes.CopyTo(payload, 7);
        Framing.WriteFrame(writer, payload);
    }

    private static async Task<string> ReadHelloAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (Framing.TryReadFrame(ref buffer, MaxHelloBytes, out var payload))
            {
                var id = ParseHello(payload.ToArray());
                reader.AdvanceTo(buffer.Start);
                return id;
            }
            if (result.IsCompleted) throw new InvalidDataException("Connection closed before the peer said hello.");
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static string ParseHello(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 7 || !payload[..4].SequenceEqual(Magic))
            throw new InvalidDataException("Peer did not start with an OrleansIm hello.");
        if (payload[4] != Version) throw new InvalidDataException($"Peer speaks hello version {payload[4]}, not {Version}.");
        var length = BinaryPrimitives.ReadUInt16LittleEndian(payload[5..]);
        if (length == 0 || length != payload.Length - 7) throw new InvalidDataException("Peer hello has a bad process id length.");
        try
        {
            return Utf8.GetString(payload[7..]);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException("Peer hello process id is not valid UTF-8.", ex);
        }
    }
}
