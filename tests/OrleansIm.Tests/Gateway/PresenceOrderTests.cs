using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class PresenceOrderTests
{
    [Fact]
    public void An_older_flip_arriving_after_a_newer_one_is_dropped()
    {
        var order = new PresenceOrder();
        Assert.True(order.Admit(new PresenceChange("bob", PresenceStatus.Offline, 20)));
        Assert.False(order.Admit(new PresenceChange("bob", PresenceStatus.Online, 10))); // the ONLINE that overtook nothing: stale
        Assert.False(order.Admit(new PresenceChange("bob", PresenceStatus.Offline, 20))); // a repeat
        Assert.True(order.Admit(new PresenceChange("bob", PresenceStatus.Online, 30)));
    }

    [Fact]
    public void Users_are_ordered_apart_and_unversioned_changes_always_pass()
    {
        var order = new PresenceOrder();
        Assert.True(order.Admit(new PresenceChange("bob", PresenceStatus.Online, 50)));
        Assert.True(order.Admit(new PresenceChange("amy", PresenceStatus.Online, 10)));
        Assert.True(order.Admit(new PresenceChange("bob", PresenceStatus.Offline)));
        Assert.True(order.Admit(new PresenceChange("bob", PresenceStatus.Offline)));
    }

    [Fact]
    public void Memory_stays_bounded_by_its_capacity()
    {
        var order = new PresenceOrder(capacity: 3);
        for (var i = 0; i < 10; i++) Assert.True(order.Admit(new PresenceChange($"u{i}", PresenceStatus.Online, 5)));
        // u0 was forgotten when the memory started afresh, so its repeat passes: the bound wins over order at that size.
        Assert.True(order.Admit(new PresenceChange("u0", PresenceStatus.Online, 5)));
        // The users remembered since are still ordered.
        Assert.False(order.Admit(new PresenceChange("u9", PresenceStatus.Online, 5)));
    }
}
