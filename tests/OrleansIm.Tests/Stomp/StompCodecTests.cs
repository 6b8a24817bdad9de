using System.Text;
using OrleansIm.Gateway.Stomp;
using Xunit;

namespace OrleansIm.Tests.Stomp;

public sealed class StompCodecTests
{
    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static List<StompFrame> ParseAll(StompFrameParser parser, params byte[][] chunks)
    {
        var frames = new List<StompFrame>();
        foreach (var chunk in chunks)
        {
            parser.Feed(chunk);
            while (parser.TryRead(out var frame)) frames.Add(frame);
        }
        return frames;
    }

    private const string Stream =
        "\n\r\nCONNECT\naccept-version:1.2\nide:Bearer a.b:c\nheart-beat:1000,2000\n\n\0\n" +
        "SEND\r\ndestination:/app/user/status\r\ncontent-type:application/json\r\n\r\n[\"u1\",\"u2\"]\0" +
        "SEND\ndestination:/app/x\ncontent-length:5\n\na\0b\0c\0\n\n" +
        "SUBSCRIBE\nid:sub-0\ndestination:/user/queue/a\\cb\\\\c\\nd\\re\nreceipt:r1\n\n\0";

    private static void AssertStream(List<StompFrame> frames)
    {
        Assert.Equal(4, frames.Count);
        Assert.Equal("CONNECT", frames[0].Command);
        Assert.Equal("Bearer a.b:c", frames[0][StompHeaders.Token]);
        Assert.Equal("1000,2000", frames[0][StompHeaders.HeartBeat]);
        Assert.Equal(0, frames[0].Body.Length);
        Assert.Equal("SEND", frames[1].Command);
        Assert.Equal("/app/user/status", frames[1][StompHeaders.Destination]);
        Assert.Equal("[\"u1\",\"u2\"]", frames[1].BodyText);
        Assert.Equal("a\0b\0c", frames[2].BodyText);
        Assert.Equal("/user/queue/a:b\\c\nd\re", frames[3][StompHeaders.Destination]);
        Assert.Equal("r1", frames[3][StompHeaders.Receipt]);
    }

    [Fact]
    public void Several_frames_and_heart_beats_in_one_chunk()
    {
        var parser = new StompFrameParser();
        AssertStream(ParseAll(parser, Bytes(Stream)));
        Assert.Equal(0, parser.BufferedBytes);
    }

    [Fact]
    public void A_stream_split_at_every_byte_position_parses_the_same()
    {
        var bytes = Bytes(Stream);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var parser = new StompFrameParser();
            AssertStream(ParseAll(parser, bytes[..split], bytes[split..]));
        }
    }

    [Fact]
    public void A_stream_fed_byte_by_byte_parses_the_same()
    {
        var parser = new StompFrameParser();
        AssertStream(ParseAll(parser, Bytes(Stream).Select(b => new[] { b }).ToArray()));
    }

    [Fact]
    public void Split_in_three_at_many_positions()
    {
        var bytes = Bytes(Stream);
        for (var a = 0; a <= bytes.Length; a += 3)
        {
            for (var b = a; b <= bytes.Length; b += 7)
            {
                AssertStream(ParseAll(new StompFrameParser(), bytes[..a], bytes[a..b], bytes[b..]));
            }
        }
    }

    [Fact]
    public void The_first_of_repeated_headers_wins()
    {
        var frames = ParseAll(new StompFrameParser(), Bytes("SEND\ndestination:/a\ndestination:/b\n\n\0"));
        Assert.Equal("/a", frames[0][StompHeaders.Destination]);
        Assert.Equal(2, frames[0].Headers.Count);
    }

    [Fact]
    public void Connect_headers_are_not_unescaped()
    {
        var frames = ParseAll(new StompFrameParser(), Bytes("CONNECT\nlogin:a\\nb\n\n\0"));
        Assert.Equal("a\\nb", frames[0]["login"]);
    }

    [Fact]
    public void A_header_value_may_contain_colons_and_be_empty()
    {
        var frames = ParseAll(new StompFrameParser(), Bytes("SEND\nx:a:b\ny:\n\n\0"));
        Assert.Equal("a:b", frames[0]["x"]);
        Assert.Equal("", frames[0]["y"]);
    }

    [Fact]
    public void Multibyte_utf8_in_headers_and_body()
    {
        var frames = ParseAll(new StompFrameParser(), Bytes("SEND\nname:张三\n\n你好\0"));
        Assert.Equal("张三", frames[0]["name"]);
        Assert.Equal("你好", frames[0].BodyText);
    }

    [Theory]
    [InlineData("send\n\n\0")] // lower-case command
    [InlineData("SE ND\n\n\0")]
    [InlineData("\u0001\u0002garbage\0")]
    [InlineData("SEND\nno-colon\n\n\0")]
    [InlineData("SEND\n:no-name\n\n\0")]
    [InlineData("SEND\nx:bad\\tescape\n\n\0")]
    [InlineData("SEND\nx:trailing\\\n\n\0")]
    [InlineData("SEND\ncontent-length:abc\n\n\0")]
    [InlineData("SEND\ncontent-length:-1\n\n\0")]
    [InlineData("SEND\ncontent-length:2\n\nabc\0")] // no NUL after 2 bytes
    [InlineData("\rX")] // CR not followed by LF between frames
    public void Garbage_is_a_protocol_error(string input)
    {
        var parser = new StompFrameParser();
        parser.Feed(Bytes(input));
        Assert.Throws<StompProtocolException>(() => parser.TryRead(out _));
    }

    [Fact]
    public void Invalid_utf8_in_a_header_is_a_protocol_error()
    {
        var parser = new StompFrameParser();
        parser.Feed([.. Bytes("SEND\nx:"), 0xC3, 0x28, .. Bytes("\n\n\0")]);
        Assert.Throws<StompProtocolException>(() => parser.TryRead(out _));
    }

    [Fact]
    public void Size_limits_are_enforced_before_the_frame_completes()
    {
        var limits = new StompLimits(MaxFrameBytes: 100, MaxHeaders: 3, MaxHeaderLineBytes: 20);

        var body = new StompFrameParser(limits);
        body.Feed(Bytes("SEND\n\n" + new string('x', 200))); // no NUL yet
        Assert.Throws<StompProtocolException>(() => body.TryRead(out _));

        var declared = new StompFrameParser(limits);
        declared.Feed(Bytes("SEND\ncontent-length:500\n\n"));
        Assert.Throws<StompProtocolException>(() => declared.TryRead(out _));

        var line = new StompFrameParser(limits);
        line.Feed(Bytes("SEND\nx:" + new string('y', 30))); // unterminated long line
        Assert.Throws<StompProtocolException>(() => line.TryRead(out _));

        var count = new StompFrameParser(limits);
        count.Feed(Bytes("SEND\na:1\nb:2\nc:3\nd:4\n\n\0"));
        Assert.Throws<StompProtocolException>(() => count.TryRead(out _));

        var ok = new StompFrameParser(limits);
        ok.Feed(Bytes("SEND\na:1\nb:2\nc:3\n\n\0"));
        Assert.True(ok.TryRead(out _));
    }

    [Fact]
    public void An_incomplete_frame_waits_for_more()
    {
        var parser = new StompFrameParser();
        parser.Feed(Bytes("SEND\ncontent-length:3\n\na\0"));
        Assert.False(parser.TryRead(out _));
        parser.Feed(Bytes("b\0"));
        Assert.True(parser.TryRead(out var frame));
        Assert.Equal("a\0b", frame.BodyText);
    }

    [Fact]
    public void Heart_beats_alone_yield_no_frame_and_leave_nothing_buffered()
    {
        var parser = new StompFrameParser();
        parser.Feed(Bytes("\n\r\n\n"));
        Assert.False(parser.TryRead(out _));
        Assert.Equal(0, parser.BufferedBytes);
        parser.Feed(Bytes("\r"));
        Assert.False(parser.TryRead(out _));
        parser.Feed(Bytes("\nDISCONNECT\nreceipt:77\n\n\0"));
        Assert.True(parser.TryRead(out var frame));
        Assert.Equal("77", frame[StompHeaders.Receipt]);
    }

    [Fact]
    public void Writer_escapes_headers_and_round_trips_through_the_parser()
    {
        var body = Bytes("{\"a\":\"\0\"}");
        var frame = new StompFrame("MESSAGE",
            [KeyValuePair.Create("destination", "/user/queue/a:b\\c\r\nd"), KeyValuePair.Create("content-length", body.Length.ToString())],
            body);
        var bytes = StompFrameWriter.Write(frame);
        Assert.Contains("destination:/user/queue/a\\cb\\\\c\\r\\nd\n", Encoding.UTF8.GetString(bytes));
        Assert.Equal(0, bytes[^1]);

        var parsed = ParseAll(new StompFrameParser(), bytes).Single();
        Assert.Equal("MESSAGE", parsed.Command);
        Assert.Equal("/user/queue/a:b\\c\r\nd", parsed[StompHeaders.Destination]);
        Assert.Equal(body, parsed.Body.ToArray());
    }

    [Fact]
    public void Connected_headers_are_written_unescaped()
    {
        var bytes = StompFrameWriter.Write(new StompFrame("CONNECTED", ("version", "1.2"), ("x", "a:b")));
        Assert.Equal("CONNECTED\nversion:1.2\nx:a:b\n\n\0", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void A_large_frame_fed_in_small_chunks_parses()
    {
        var body = new string('z', 100_000);
        var bytes = Bytes("SEND\ndestination:/app/x\n\n" + body + "\0");
        var parser = new StompFrameParser();
        var frames = new List<StompFrame>();
        for (var i = 0; i < bytes.Length; i += 1000)
        {
            parser.Feed(bytes.AsSpan(i, Math.Min(1000, bytes.Length - i)));
            while (parser.TryRead(out var f)) frames.Add(f);
        }
        Assert.Equal(body, Assert.Single(frames).BodyText);
    }
}
