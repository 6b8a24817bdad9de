using System.Buffers;
using System.Buffers.Binary;
using OrleansIm.Runtime;
using OrleansIm.Runtime.Messaging;
using Xunit;

namespace OrleansIm.Tests.Transport;

public sealed class MessageCodecTests
{
    private static Message Sample(byte[]? body = null) => new()
    {
        Id = 0x0102030405060708,
        Direction = MessageDirection.Response,
        Target = new GrainId("conversation", "cönv-42/✓"),
        InterfaceName = "OrleansIm.Grains.IConversationGrain",
        MethodIndex = 7,
        SenderId = "gw-ab12",
        DeadlineTicks = 638_000_000_000_000_123,
        Status = ResponseStatus.Error,
        ForwardCount = 2,
        ForwardedBy = "silo-9f",
        Body = body ?? [1, 2, 3, 250],
    };

    private static void AssertSame(Message expected, Message actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Direction, actual.Direction);
        Assert.Equal(expected.Target, actual.Target);
        Assert.Equal(expected.InterfaceName, actual.InterfaceName);
        Assert.Equal(expected.MethodIndex, actual.MethodIndex);
        Assert.Equal(expected.SenderId, actual.SenderId);
        Assert.Equal(expected.DeadlineTicks, actual.DeadlineTicks);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ForwardCount, actual.ForwardCount);
        Assert.Equal(expected.ForwardedBy, actual.ForwardedBy);
        Assert.Equal(expected.Body, actual.Body);
    }

    [Fact]
    public void Round_trips_every_field()
    {
        var message = Sample();
        var bytes = MessageCodec.Encode(message);
        Assert.Equal(MessageCodec.GetEncodedLength(message), bytes.Length);
        AssertSame(message, MessageCodec.Decode(bytes));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 0)]
    [InlineData(2, 0)]
    public void Round_trips_each_direction_and_extremes(byte directionValue, byte statusValue)
    {
        // Raw bytes: the enums are internal, and public test methods cannot take them.
        var direction = (MessageDirection)directionValue;
        var status = (ResponseStatus)statusValue;
        var message = new Message
        {
            Id = long.MinValue,
            Direction = direction,
            Status = status,
            Target = new GrainId("", ""),
            MethodIndex = int.MaxValue,
            DeadlineTicks = long.MaxValue,
            ForwardCount = int.MaxValue,
            Body = [],
        };
        AssertSame(message, MessageCodec.Decode(MessageCodec.Encode(message)));
    }

    [Fact]
    public void Decodes_a_message_split_across_segments()
    {
        var message = Sample(Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray());
        var bytes = MessageCodec.Encode(message);
        var first = new Segment(bytes.AsMemory(0, 13));
        var last = first.Append(bytes.AsMemory(13, 2000)).Append(bytes.AsMemory(2013));
        AssertSame(message, MessageCodec.Decode(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)));
    }

    [Fact]
    public void Rejects_every_truncation()
    {
        var bytes = MessageCodec.Encode(Sample());
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<FormatException>(() => MessageCodec.Decode(prefix));
        }
    }

    [Fact]
    public void Rejects_trailing_bytes()
    {
        var bytes = MessageCodec.Encode(Sample()).Append((byte)0).ToArray();
        Assert.Throws<FormatException>(() => MessageCodec.Decode(bytes));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    [InlineData(1_000_000)]
    public void Rejects_hostile_string_lengths_without_allocating(int hostileLength)
    {
        var bytes = MessageCodec.Encode(Sample());
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(27), hostileLength); // Target.Type length.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<FormatException>(() => MessageCodec.Decode(bytes));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "decoding a hostile length allocated a lot");
        Assert.Contains("target type", ex.Message);
    }

    [Fact]
    public void Rejects_hostile_body_length()
    {
        var message = Sample();
        var bytes = MessageCodec.Encode(message);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(bytes.Length - message.Body.Length - 4), int.MaxValue);
        Assert.Contains("body", Assert.Throws<FormatException>(() => MessageCodec.Decode(bytes)).Message);
    }

    [Theory]
    [InlineData(0, 1)]   // version (1 = the format before ForwardedBy)
    [InlineData(0, 3)]
    [InlineData(9, 0)]   // direction
    [InlineData(9, 4)]
    [InlineData(10, 2)]  // status
    [InlineData(18, 0x80)] // forward count high byte → negative
    public void Rejects_bad_header_values(int offset, byte value)
    {
        var bytes = MessageCodec.Encode(Sample());
        bytes[offset] = value;
        Assert.Throws<FormatException>(() => MessageCodec.Decode(bytes));
    }

    [Fact]
    public void Rejects_invalid_utf8()
    {
        var message = new Message { Direction = MessageDirection.Request, Target = new GrainId("ab", "k") };
        var bytes = MessageCodec.Encode(message);
        bytes[31] = 0xFF; // First byte of "ab".
        Assert.Throws<FormatException>(() => MessageCodec.Decode(bytes));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
