using System.Buffers;
using System.Text;

namespace OrleansIm.Gateway.Stomp;

/// <summary>Serializes frames: command, headers (1.2-escaped except for CONNECT/CONNECTED), blank line, body, NUL.</summary>
public static class StompFrameWriter
{
    /// <summary>A server heart-beat: one EOL between frames.</summary>
    public static ReadOnlySpan<byte> HeartBeat => "\n"u8;

    public static byte[] Write(StompFrame frame)
    {
        var output = new ArrayBufferWriter<byte>(128 + frame.Body.Length);
        var escape = !StompCommands.IsUnescaped(frame.Command);
        Append(output, frame.Command);
        output.Write("\n"u8);
        foreach (var (name, value) in frame.Headers)
        {
            Append(output, escape ? Escape(name) : name);
            output.Write(":"u8);
            Append(output, escape ? Escape(value) : value);
            output.Write("\n"u8);
        }
        output.Write("\n"u8);
        output.Write(frame.Body.Span);
        output.Write("\0"u8);
        return output.WrittenSpan.ToArray();
    }

    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny("\\\r\n:") < 0) return value;
        var result = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': result.Append("\\\\"); break;
                case '\r': result.Append("\\r"); break;
                case '\n': result.Append("\\n"); break;
                case ':': result.Append("\\c"); break;
                default: result.Append(c); break;
            }
        }
        return result.ToString();
    }

    private static void Append(ArrayBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
