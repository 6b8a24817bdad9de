using System.Text;

namespace OrleansIm.Gateway.Stomp;

/// <summary>
/// One STOMP frame: command, headers in wire order (a repeated header keeps every occurrence; the first one
/// counts, STOMP 1.2 §Repeated Header Entries) and the raw body.
/// </summary>
public sealed class StompFrame(string command, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body)
{
    public StompFrame(string command, params (string Name, string Value)[] headers)
        : this(command, headers.Select(h => KeyValuePair.Create(h.Name, h.Value)).ToList(), ReadOnlyMemory<byte>.Empty)
    {
    }

    public string Command { get; } = command;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;

    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <summary>The first value of a header, or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var header in Headers)
            {
                if (header.Key == name) return header.Value;
            }
            return null;
        }
    }

    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    public override string ToString() => $"{Command} ({Headers.Count} headers, {Body.Length} body bytes)";
}
