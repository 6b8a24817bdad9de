using OrleansIm.Gateway.Sockets;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class MessagePushOrderTests
{
    private readonly List<long> _released = [];
    private int _broken;

    private MessagePushOrder NewOrder(int capacity = 100, TimeSpan? gapTimeout = null) =>
        new(capacity, gapTimeout ?? TimeSpan.FromMinutes(1), m => { lock (_released) _released.Add(m.Seq); }, () => Interlocked.Increment(ref _broken));

    private static MessagePush Push(long stream, long number, long seq) =>
        new(stream, number, new ChatMessage("c", seq, "m" + seq, "alice", -1, "x", null, null, 0, false, 0, false, null, null));

    private long[] Released { get { lock (_released) return [.. _released]; } }

    [Fact]
    public void Pushes_arriving_out_of_order_are_released_in_number_order()
    {
        var order = NewOrder();
        foreach (var n in new long[] { 1, 3, 4, 2, 6, 5, 7 }) order.Accept(Push(9, n, n));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], Released);
        Assert.Equal(0, _broken);
    }

    [Fact]
    public void A_push_ahead_of_a_gap_waits_for_the_gap()
    {
        var order = NewOrder();
        order.Accept(Push(9, 2, 2));
        order.Accept(Push(9, 3, 3));
        Assert.Empty(Released);
        order.Accept(Push(9, 1, 1));
        Assert.Equal([1, 2, 3], Released);
    }

    [Fact]
    public void A_new_stream_releases_what_the_old_one_held_then_counts_from_one_and_old_stragglers_are_not_lost()
    {
        var order = NewOrder();
        order.Accept(Push(9, 1, 1));
        order.Accept(Push(9, 3, 3)); // 2 was lost with the old activation
        order.Accept(Push(5, 2, 11)); // the new stream's 1 is still on its way
        order.Accept(Push(5, 1, 10));
        order.Accept(Push(9, 4, 4)); // a straggler of the replaced stream: released at once, not taken as a third stream
        order.Accept(Push(5, 3, 12));
        Assert.Equal([1, 3, 10, 11, 4, 12], Released);
        Assert.Equal(0, _broken);
    }

    [Fact]
    public async Task A_gap_that_never_closes_breaks_the_order_once()
    {
        var order = NewOrder(gapTimeout: TimeSpan.FromMilliseconds(100));
        order.Accept(Push(9, 1, 1));
        order.Accept(Push(9, 3, 3));
        await Eventually.True(() => Volatile.Read(ref _broken) > 0, because: "the gap timed out");
        order.Accept(Push(9, 2, 2)); // too late: the connection is being closed
        Assert.Equal([1], Released);
        Assert.Equal(1, _broken);
    }

    [Fact]
    public void More_pushes_waiting_than_the_capacity_break_the_order()
    {
        var order = NewOrder(capacity: 3);
        for (var n = 2; n <= 4; n++) order.Accept(Push(9, n, n));
        Assert.Equal(0, _broken);
        order.Accept(Push(9, 5, 5));
        Assert.Equal(1, _broken);
        Assert.Empty(Released);
    }

    [Fact]
    public async Task Pushes_from_many_threads_come_out_once_each_and_in_order()
    {
        var order = NewOrder(capacity: 10_000);
        var numbers = Enumerable.Range(1, 5000).Select(n => (long)n).ToArray();
        await Parallel.ForEachAsync(numbers, (n, _) => { order.Accept(Push(9, n, n)); return ValueTask.CompletedTask; });
        Assert.Equal(numbers, Released);
        Assert.Equal(0, _broken);
    }
}
