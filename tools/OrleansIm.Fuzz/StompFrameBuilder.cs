using System.Globalization;
using System.Text;

namespace OrleansIm.Fuzz;

/// <summary>A STOMP frame under construction, written byte by byte so any part of it can be wrong.</summary>
public sealed class StompFrameBuilder(string command, string label)
{
    public string Command { get; set; } = command;

    public string Label { get; } = label;

    /// <summary>Header lines as written (values already escaped, or deliberately not).</summary>
    public List<(string Name, string Value)> Headers { get; } = [];

    public byte[] Body { get; set; } = [];

    /// <summary>The content-length header's text, or null for none.</summary>
    public string? ContentLength { get; set; }

    public string LineEnd { get; set; } = "\n";

    /// <summary>Bytes written after the body (normally one NUL).</summary>
    public byte[] Terminator { get; set; } = [0];

    /// <summary>One random change; returns what it did.</summary>
    public string Mutate(Random random)
    {
        switch (random.Next(16))
        {
            case 0:
                Command = WsFrameGenerator.Pick<string>(random, ["", "send", "SEND\r", "S\0ND", "ÿÿÿ", new string('A', 9000), Command + " ", "\t" + Command]);
                return "command damaged";
            case 1:
                if (Headers.Count > 0) Headers.RemoveAt(random.Next(Headers.Count));
                return "header removed";
            case 2:
                Headers.Add((WsFrameGenerator.Pick<string>(random, ["", "x", "destination", "id", "receipt", "content-length"]), WsFrameGenerator.Pick<string>(random, ["", ":", "a:b", "/app/user/status", "sub-1"])));
                return "header added";
            case 3:
                Headers.Add(("x", WsFrameGenerator.Pick<string>(random, ["\\t", "a\\", "\\", "\\\\\\", "\\c\\n\\r", "\\x"])));
                return "bad escape";
            case 4:
                Headers.Add(("big", new string('v', random.Next(2) == 0 ? 8 * 1024 + 10 : random.Next(100, 8000))));
                return "long header";
            case 5:
                for (var i = 0; i < 70; i++) Headers.Add(("h" + i, "v"));
                return "70 headers";
            case 6:
                Headers.Add(("nocolon", "\u0001")); // written without its colon
                return "header line without colon";
            case 7:
                ContentLength = WsFrameGenerator.Pick<string>(random, ["-1", "abc", "", "99999999999999999999", "0", "+5", " 5", "5 ", "2147483647", "1e3"]);
                return $"content-length {ContentLength}";
            case 8:
                ContentLength = (Body.Length + random.Next(1, 200)).ToString(CultureInfo.InvariantCulture);
                return "content-length too long";
            case 9:
                ContentLength = Math.Max(0, Body.Length - random.Next(1, 10)).ToString(CultureInfo.InvariantCulture);
                return "content-length too short";
            case 10:
                Terminator = WsFrameGenerator.Pick<byte[]>(random, [[], [0, 0], [(byte)'\n'], [0, (byte)'x'], [0, (byte)'\r', (byte)'\n']]);
                return "terminator changed";
            case 11:
                LineEnd = WsFrameGenerator.Pick<string>(random, ["\r\n", "\r", "\n\r"]);
                return "line ends changed";
            case 12:
                Body = [.. Body, 0, .. "after nul"u8.ToArray()];
                return "NUL in body";
            case 13:
                Headers.Add(("destination", "/app/\u00ff\u4e2d"));
                Headers.Add(("x-utf", "\ud83d\ude00"));
                return "non-ASCII headers";
            case 14:
                Headers.Add(Headers.Count > 0 ? Headers[0] : ("id", "dup"));
                return "repeated header";
            default:
                Headers.Add(("na\0me", "v\0al"));
                return "NUL in header";
        }
    }

    public byte[] ToBytes()
    {
        var text = new StringBuilder(Command).Append(LineEnd);
        foreach (var (name, value) in Headers) text.Append(name).Append(name == "nocolon" ? "" : ":").Append(value).Append(LineEnd);
        if (ContentLength is not null) text.Append("content-length:").Append(ContentLength).Append(LineEnd);
        text.Append(LineEnd);
        return [.. Encoding.UTF8.GetBytes(text.ToString()), .. Body, .. Terminator];
    }
}
