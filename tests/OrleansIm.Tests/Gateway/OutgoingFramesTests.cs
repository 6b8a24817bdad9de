using Microsoft.Extensions.Logging.Abstractions;
using OrleansIm.Gateway.Sockets;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class OutgoingFramesTests
{
    private static OutgoingFrames Queue(int maxFrames, long maxBytes, byte[]? notReadingFrame = null) =>
        new(new OutgoingLimits(maxFrames, maxBytes, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), NullLogger.Instance, "test", notReadingFrame);

    [Fact]
    public void A_frame_past_the_byte_limit_closes_with_1008_and_drops_what_was_queued()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 10);
        Assert.True(queue.TryEnqueue(new byte[6]));
        Assert.True(queue.TryEnqueue(new byte[4]));
        Assert.Equal(10, queue.QueuedBytes);

        Assert.False(queue.TryEnqueue(new byte[1]));
        Assert.True(queue.IsClosing);
        Assert.Equal(WebSocketCloseCodes.NotReading, queue.CloseCode);
        Assert.Equal(0, queue.QueuedBytes);
        Assert.Equal(10, queue.PeakQueuedBytes);
        Assert.False(queue.TryEnqueue(new byte[1]));
    }

    [Fact]
    public void A_frame_bigger_than_the_limit_still_goes_onto_an_empty_queue()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 10);
        Assert.True(queue.TryEnqueue(new byte[50]));
        Assert.False(queue.TryEnqueue(new byte[1]));
        Assert.Equal(WebSocketCloseCodes.NotReading, queue.CloseCode);
    }

    [Fact]
    public void The_frame_limit_still_applies_to_small_frames()
    {
        var queue = Queue(maxFrames: 2, maxBytes: 1000);
        Assert.True(queue.TryEnqueue([1]));
        Assert.True(queue.TryEnqueue([2]));
        Assert.False(queue.TryEnqueue([3]));
        Assert.Equal(WebSocketCloseCodes.NotReading, queue.CloseCode);
    }

    [Fact]
    public void The_dialects_last_word_replaces_the_dropped_frames()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 10, notReadingFrame: new byte[3]);
        Assert.True(queue.TryEnqueue(new byte[10]));
        Assert.False(queue.TryEnqueue(new byte[1]));
        Assert.Equal(3, queue.QueuedBytes);
    }

    [Fact]
    public void A_requested_close_keeps_its_own_code()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 10);
        queue.Close(WebSocketCloseCodes.Replaced, "replaced", new byte[20]);
        Assert.Equal(WebSocketCloseCodes.Replaced, queue.CloseCode);
        Assert.False(queue.TryEnqueue([1]));
        Assert.Equal(WebSocketCloseCodes.Replaced, queue.CloseCode);
    }
}
