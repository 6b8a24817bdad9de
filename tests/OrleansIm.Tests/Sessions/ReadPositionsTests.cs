using OrleansIm.Grains.Conversations;
using Xunit;

namespace OrleansIm.Tests.Sessions;

/// <summary>The conversation's in-memory read positions: counts by binary search stay right as positions move.</summary>
public sealed class ReadPositionsTests
{
    [Fact]
    public void Counts_follow_positions_moving_forward_only()
    {
        var receipts = new ReadReceipts(new Dictionary<string, long> { ["a"] = 3, ["b"] = 0 });
        Assert.Equal(1, receipts.CountAtLeast(1));
        Assert.False(receipts.Dirty);

        Assert.True(receipts.Advance("b", 5));
        Assert.True(receipts.Advance("c", 3));
        Assert.False(receipts.Advance("a", 2)); // backwards: ignored
        Assert.False(receipts.Advance("a", 3)); // repeated: ignored
        Assert.True(receipts.Dirty);
        Assert.Equal(3, receipts.CountAtLeast(3));
        Assert.Equal(1, receipts.CountAtLeast(4));
        Assert.Equal(0, receipts.CountAtLeast(6));

        Assert.True(receipts.Advance("a", 10));
        Assert.Equal(2, receipts.CountAtLeast(4));
        Assert.Equal(10, receipts.PositionOf("a"));
        Assert.Equal(0, receipts.PositionOf("nobody"));

        var snapshot = receipts.Snapshot();
        Assert.False(receipts.Dirty);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 10, ["b"] = 5, ["c"] = 3 }, snapshot);
    }

    [Fact]
    public void Many_members_with_equal_positions_are_counted_apart()
    {
        var receipts = new ReadReceipts([]);
        for (var i = 0; i < 1000; i++) receipts.Advance($"u{i}", i % 10 + 1);
        for (var i = 0; i < 1000; i += 2) receipts.Advance($"u{i}", 20);
        Assert.Equal(1000, receipts.CountAtLeast(1));
        Assert.Equal(500, receipts.CountAtLeast(11));
        Assert.Equal(500 + 100, receipts.CountAtLeast(10)); // the 500 at 20, and i % 10 == 9 (all odd) at 10
    }
}
