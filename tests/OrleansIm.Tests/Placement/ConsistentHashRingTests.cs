using OrleansIm.Runtime;
using OrleansIm.Runtime.Membership;
using OrleansIm.Runtime.Placement;
using Xunit;

namespace OrleansIm.Tests.Placement;

public sealed class ConsistentHashRingTests
{
    private static readonly SiloAddress A = new("10.0.0.1", 11111, 1);
    private static readonly SiloAddress B = new("10.0.0.2", 11111, 1);
    private static readonly SiloAddress C = new("10.0.0.3", 11111, 1);
    private static readonly SiloAddress D = new("10.0.0.4", 11111, 1);
    private static readonly GrainId[] Grains = Enumerable.Range(0, 20_000).Select(i => new GrainId("user", $"u{i}")).ToArray();

    [Fact]
    public void Same_view_gives_the_same_owner_whatever_the_order()
    {
        var one = new ConsistentHashRing([A, B, C]);
        var two = new ConsistentHashRing([C, A, B, A]);
        Assert.All(Grains, g => Assert.Equal(one.GetOwner(g), two.GetOwner(g)));
    }

    [Fact]
    public void Load_is_spread_across_silos()
    {
        var ring = new ConsistentHashRing([A, B, C]);
        var counts = Grains.GroupBy(ring.GetOwner).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, counts.Count);
        // With 64 virtual nodes each silo gets its third within a generous margin.
        Assert.All(counts.Values, c => Assert.InRange(c, Grains.Length / 3 * 0.6, Grains.Length / 3 * 1.4));
    }

    [Fact]
    public void A_joining_silo_takes_keys_only_for_itself()
    {
        var before = new ConsistentHashRing([A, B, C]);
        var after = new ConsistentHashRing([A, B, C, D]);
        var moved = Grains.Where(g => before.GetOwner(g) != after.GetOwner(g)).ToList();
        Assert.All(moved, g => Assert.Equal(D, after.GetOwner(g)));
        Assert.InRange(moved.Count, Grains.Length / 4 * 0.6, Grains.Length / 4 * 1.4);
    }

    [Fact]
    public void A_leaving_silo_hands_only_its_own_keys_to_the_others()
    {
        var before = new ConsistentHashRing([A, B, C]);
        var after = new ConsistentHashRing([A, B]);
        Assert.All(Grains.Where(g => before.GetOwner(g) != C), g => Assert.Equal(before.GetOwner(g), after.GetOwner(g)));
    }

    [Fact]
    public void A_new_generation_is_a_different_silo()
    {
        Assert.NotEqual(new ConsistentHashRing([A]).Silos[0], new ConsistentHashRing([A with { Generation = 2 }]).Silos[0]);
        Assert.Equal(A, SiloAddress.Parse(A.ToString()));
    }

    [Fact]
    public void Empty_ring_refuses_placement()
    {
        Assert.Throws<InvalidOperationException>(() => new ConsistentHashRing([]).GetOwner(Grains[0]));
    }
}
