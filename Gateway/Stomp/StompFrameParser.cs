using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace OrleansIm.Gateway.Stomp;

/// <summary>
/// Incremental STOMP 1.2 parser. WebSocket messages are fed as chunks in any split: one message may hold
/// several frames and heart-beat EOLs, and a frame may span messages. Every byte is scanned once (the state
/// remembers how far the current line or body was searched), so a frame fed byte by byte stays linear.
/// Violations throw <see cref="StompProtocolException"/>; the connection is then unusable.
/// </summary>
public sealed class StompFrameParser(StompLimits limits)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = new byte[1024];
    private int _start; // First unconsumed byte.
    private int _end; // One past the last buffered byte.

    // Current frame, offsets relative to _start.
    private string? _command;
    private List<KeyValuePair<string, string>>? _headers;
    private int _lineStart;
    private int _scan;
    private int _bodyStart = -1;
    private int _contentLength = -1;

    public StompFrameParser() : this(StompLimits.Default)
    {
    }

    /// <summary>Bytes received but not yet returned as a frame.</summary>
    public int BufferedBytes => _end - _start;

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty) return;
        if (_buffer.Length - _end < chunk.Length)
        {
            var used = _end - _start;
            if (_buffer.Length - used >= chunk.Length && _start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, used);
            }
            else
            {
                var grown = new byte[Math.Max(_buffer.Length * 2, used + chunk.Length)];
                Buffer.BlockCopy(_buffer, _start, grown, 0, used);
                _buffer = grown;
            }
            _start = 0;
            _end = used;
        }
        chunk.CopyTo(_buffer.AsSpan(_end));
        _end += chunk.Length;
    }

    /// <summary>The next complete frame, skipping heart-beat EOLs before it; false when more bytes are needed.</summary>
    public bool TryRead([NotNullWhen(true)] out StompFrame? frame)
    {
        frame = null;
        if (_command is null && !SkipHeartBeats()) return false;
        if (_bodyStart < 0 && !ReadHeaderLines()) return false;
        if (!ReadBody(out var bodyLength)) return false;

        var body = _buffer.AsSpan(_start + _bodyStart, bodyLength).ToArray();
        frame = new StompFrame(_command!, _headers!, body);
        _start += _bodyStart + bodyLength + 1; // + the NUL.
        if (_start == _end) _start = _end = 0;
        _command = null;
        _headers = null;
        _lineStart = _scan = 0;
        _bodyStart = _contentLength = -1;
        return true;
    }

    /// <summary>Consumes EOLs (LF or CRLF) between frames; false if the buffer ends before a frame starts.</summary>
    private bool SkipHeartBeats()
    {
        while (_start < _end)
        {
            var b = _buffer[_start];
            if (b == (byte)'\n')
            {
                _start++;
            }
            else if (b == (byte)'\r')
            {
                if (_start + 1 == _end) return false;
                if (_buffer[_start + 1] != (byte)'\n') throw new StompProtocolException("Expected LF after CR.");
                _start += 2;
            }
            else
            {
                return true;
            }
        }
        _start = _end = 0;
        return false;
    }

    private bool ReadHeaderLines()
    {
        var available = _end - _start;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + _scan, available - _scan).IndexOf((byte)'\n');
            if (newline < 0)
            {
                // Fail fast on garbage: an unterminated command line must still look like a command.
                if (_command is null) CheckPartialCommand(_buffer.AsSpan(_start, available));
                _scan = available;
                if (_scan - _lineStart > limits.MaxHeaderLineBytes) throw new StompProtocolException($"Header line longer than {limits.MaxHeaderLineBytes} bytes.");
                if (_scan > limits.MaxFrameBytes) throw new StompProtocolException($"Frame larger than {limits.MaxFrameBytes} bytes.");
                return false;
            }

            var lineEnd = _scan + newline;
            var line = _buffer.AsSpan(_start + _lineStart, lineEnd - _lineStart);
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (line.Length > limits.MaxHeaderLineBytes) throw new StompProtocolException($"Header line longer than {limits.MaxHeaderLineBytes} bytes.");
            _lineStart = _scan = lineEnd + 1;

            if (_command is null)
            {
                _command = ParseCommand(line);
                _headers = [];
            }
            else if (line.IsEmpty)
            {
                _bodyStart = _scan;
                var length = Header(StompHeaders.ContentLength);
                if (length is not null) _contentLength = ParseContentLength(length);
                return true;
            }
            else
            {
                if (_headers!.Count >= limits.MaxHeaders) throw new StompProtocolException($"More than {limits.MaxHeaders} headers.");
                _headers.Add(ParseHeader(line, unescape: !StompCommands.IsUnescaped(_command)));
            }
            if (_scan > limits.MaxFrameBytes) throw new StompProtocolException($"Frame larger than {limits.MaxFrameBytes} bytes.");
        }
    }

    private bool ReadBody(out int bodyLength)
    {
        var available = _end - _start;
        if (_contentLength >= 0)
        {
            bodyLength = _contentLength;
            if (_bodyStart + _contentLength + 1 > limits.MaxFrameBytes) throw new StompProtocolException($"Frame larger than {limits.MaxFrameBytes} bytes.");
            if (available < _bodyStart + _contentLength + 1) return false;
            if (_buffer[_start + _bodyStart + _contentLength] != 0) throw new StompProtocolException("Frame body not terminated by NUL after content-length bytes.");
            return true;
        }

        var nul = _buffer.AsSpan(_start + _scan, available - _scan).IndexOf((byte)0);
        if (nul < 0)
        {
            _scan = available;
            bodyLength = 0;
            if (available > limits.MaxFrameBytes) throw new StompProtocolException($"Frame larger than {limits.MaxFrameBytes} bytes.");
            return false;
        }
        bodyLength = _scan + nul - _bodyStart;
        if (_bodyStart + bodyLength + 1 > limits.MaxFrameBytes) throw new StompProtocolException($"Frame larger than {limits.MaxFrameBytes} bytes.");
        return true;
    }

    private string? Header(string name)
    {
        foreach (var header in _headers!)
        {
            if (header.Key == name) return header.Value;
        }
        return null;
    }

    private int ParseContentLength(string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            throw new StompProtocolException("content-length must be a non-negative integer.");
        if (length > limits.MaxFrameBytes) throw new StompProtocolException($"Frame larger than {limits.MaxFrameBytes} bytes.");
        return length;
    }

    private static void CheckPartialCommand(ReadOnlySpan<byte> partial)
    {
        if (partial.Length > 33) throw new StompProtocolException("Invalid command.");
        for (var i = 0; i < partial.Length; i++)
        {
            var b = partial[i];
            if (b is >= (byte)'A' and <= (byte)'Z') continue;
            if (b == (byte)'\r' && i == partial.Length - 1) continue;
            throw new StompProtocolException("Invalid command.");
        }
    }

    private static string ParseCommand(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line.Length > 32) throw new StompProtocolException("Invalid command.");
        foreach (var b in line)
        {
            if (b is < (byte)'A' or > (byte)'Z') throw new StompProtocolException("Invalid command.");
        }
        return Encoding.ASCII.GetString(line);
    }

    private static KeyValuePair<string, string> ParseHeader(ReadOnlySpan<byte> line, bool unescape)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0) throw new StompProtocolException("Header line without a name and ':'.");
        try
        {
            var name = StrictUtf8.GetString(line[..colon]);
            var value = StrictUtf8.GetString(line[(colon + 1)..]);
            return unescape ? KeyValuePair.Create(Unescape(name), Unescape(value)) : KeyValuePair.Create(name, value);
        }
        catch (DecoderFallbackException)
        {
            throw new StompProtocolException("Header is not valid UTF-8.");
        }
    }

    /// <summary>STOMP 1.2 value decoding: \r \n \c \\; any other escape is a fatal error (spec).</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('\\')) return value;
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c != '\\')
            {
                result.Append(c);
                continue;
            }
            if (++i == value.Length) throw new StompProtocolException("Header ends with an incomplete escape.");
            result.Append(value[i] switch
            {
                'r' => '\r',
                'n' => '\n',
                'c' => ':',
                '\\' => '\\',
                _ => throw new StompProtocolException($"Undefined escape '\\{value[i]}' in a header."),
            });
        }
        return result.ToString();
    }
}
