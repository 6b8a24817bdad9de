using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OrleansIm.Gateway.Upgrades;

/// <summary>
/// The head of an HTTP/1.1 request for one of the socket paths, read by <see cref="DirectUpgradeMiddleware"/>. The
/// parser is strict and small on purpose: a socket upgrade is a GET with headers and no body, so anything else —
/// another version, obsolete line folding, bare LF, control or non-ASCII bytes, a body — is refused with 400 rather
/// than interpreted. Limits are Kestrel's own (request line, header count, header bytes).
/// </summary>
public sealed class UpgradeRequestHead
{
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    private UpgradeRequestHead(string method, string target, string path, string queryString, IHeaderDictionary headers)
    {
        Method = method;
        RawTarget = target;
        Path = path;
        QueryString = queryString;
        Headers = headers;
    }

    public string Method { get; }

    public string RawTarget { get; }

    /// <summary>The path, percent-decoded (as routing sees it).</summary>
    public string Path { get; }

    /// <summary>"?…" as sent, or empty.</summary>
    public string QueryString { get; }

    public IHeaderDictionary Headers { get; }

    /// <summary>
    /// Parses the head at the start of <paramref name="buffer"/>. Returns null with <paramref name="status"/> 0 while
    /// the head is incomplete and within the limits; null with an HTTP status (400, 414, 431) when it is refused; the
    /// head, and where it ends, when it is complete.
    /// </summary>
    public static UpgradeRequestHead? TryParse(ReadOnlySequence<byte> buffer, UpgradeLimits limits, out SequencePosition end, out int status)
    {
        end = buffer.Start;
        status = 0;
        var reader = new SequenceReader<byte>(buffer);
        var complete = reader.TryReadTo(out ReadOnlySequence<byte> head, EndOfHead, advancePastDelimiter: true);
        // Only the head is scanned: what follows it may already be the socket's first (binary) frame.
        if (HasBareLineFeed(complete ? head : buffer))
        {
            status = 400;
            return null;
        }
        if (!complete)
        {
            if (buffer.Length > limits.MaxHeadBytes) status = FirstLineLength(buffer) > limits.MaxRequestLineBytes ? 414 : 431;
            return null;
        }
        if (head.Length + EndOfHead.Length > limits.MaxHeadBytes)
        {
            status = FirstLineLength(head) > limits.MaxRequestLineBytes ? 414 : 431;
            return null;
        }
        end = reader.Position;
        // Bounded by MaxHeadBytes above; one copy keeps the parsing below on a plain span.
        var bytes = head.ToArray();
        return Parse(bytes, limits, out status);
    }

    private static UpgradeRequestHead? Parse(ReadOnlySpan<byte> head, UpgradeLimits limits, out int status)
    {
        status = 400;
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? head : head[..lineEnd];
        if (requestLine.Length > limits.MaxRequestLineBytes)
        {
            status = 414;
            return null;
        }
        if (!TryParseRequestLine(requestLine, out var method, out var target)) return null;

        IHeaderDictionary headers = new HeaderDictionary();
        var rest = lineEnd < 0 ? ReadOnlySpan<byte>.Empty : head[(lineEnd + 2)..];
        var count = 0;
        while (!rest.IsEmpty)
        {
            var next = rest.IndexOf("\r\n"u8);
            var line = next < 0 ? rest : rest[..next];
            rest = next < 0 ? ReadOnlySpan<byte>.Empty : rest[(next + 2)..];
            if (++count > limits.MaxHeaderCount)
            {
                status = 431;
                return null;
            }
            if (!TryParseHeader(line, out var name, out var value)) return null;
            headers.Append(name, value);
        }
        // HTTP/1.1 requires Host; an upgrade carries no body.
        if (headers.Host.Count != 1 || headers.ContainsKey("Transfer-Encoding")) return null;
        if (headers.TryGetValue("Content-Length", out var length) && length.ToString() != "0") return null;

        var query = target.IndexOf('?');
        var rawPath = query < 0 ? target : target[..query];
        var path = PathString.FromUriComponent(rawPath).Value ?? "/";
        status = 0;
        return new UpgradeRequestHead(method, target, path, query < 0 ? "" : target[query..], headers);
    }

    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, out string method, out string target)
    {
        method = target = "";
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0) return false;
        var afterMethod = line[(firstSpace + 1)..];
        var secondSpace = afterMethod.IndexOf((byte)' ');
        if (secondSpace <= 0) return false;
        var targetBytes = afterMethod[..secondSpace];
        // Only HTTP/1.1 can upgrade (HTTP/1.0 has no Upgrade).
        if (!afterMethod[(secondSpace + 1)..].SequenceEqual("HTTP/1.1"u8)) return false;
        if (targetBytes[0] != (byte)'/' || !IsVisibleAscii(targetBytes)) return false;
        method = Encoding.ASCII.GetString(line[..firstSpace]);
        target = Encoding.ASCII.GetString(targetBytes);
        return IsToken(line[..firstSpace]);
    }

    private static bool TryParseHeader(ReadOnlySpan<byte> line, out string name, out string value)
    {
        name = value = "";
        var colon = line.IndexOf((byte)':');
        // No name, or whitespace before the colon or at the line's start (obsolete folding): refused, as RFC 9112 asks.
        if (colon <= 0 || !IsToken(line[..colon])) return false;
        var raw = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in raw)
        {
            if (b != (byte)'\t' && (b < 0x20 || b > 0x7E)) return false;
        }
        name = Encoding.ASCII.GetString(line[..colon]);
        value = Encoding.ASCII.GetString(raw);
        return true;
    }

    private static bool IsVisibleAscii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b <= 0x20 || b > 0x7E) return false;
        }
        return true;
    }

    /// <summary>RFC 9110 token characters.</summary>
    private static bool IsToken(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            var ok = b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                || "!#$%&'*+-.^_`|~"u8.Contains(b);
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>An LF without its CR: refused at once (waiting for a CRLF CRLF that never comes would hold the connection).</summary>
    private static bool HasBareLineFeed(ReadOnlySequence<byte> buffer)
    {
        byte previous = 0;
        foreach (var segment in buffer)
        {
            foreach (var b in segment.Span)
            {
                if (b == (byte)'\n' && previous != (byte)'\r') return true;
                previous = b;
            }
        }
        return false;
    }

    private static long FirstLineLength(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: false) ? reader.Consumed : buffer.Length;
    }
}
