using System.Text;

namespace OrleansIm.Fuzz;

/// <summary>One generated input: what the run sends for index <see cref="Index"/> of its seed.</summary>
public abstract record FuzzInput(int Index, string Label)
{
    /// <summary>The surface, for the report ("ws", "stomp", "http", "handshake").</summary>
    public abstract string Surface { get; }

    /// <summary>A one-line, printable view of the input (long inputs are cut).</summary>
    public abstract string Preview { get; }

    /// <summary>Bytes as text: printable ASCII as is, everything else as \xNN, at most <paramref name="max"/> characters.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes, int max = 300)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            if (text.Length >= max)
            {
                text.Append($"… ({bytes.Length} bytes)");
                break;
            }
            if (b is >= 0x20 and < 0x7F && b != (byte)'\\') text.Append((char)b);
            else if (b == (byte)'\n') text.Append("\\n");
            else if (b == 0) text.Append("\\0");
            else text.Append($"\\x{b:X2}");
        }
        return text.ToString();
    }
}
