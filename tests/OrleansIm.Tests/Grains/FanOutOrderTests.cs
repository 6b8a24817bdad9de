using OrleansIm.Grains.Interfaces;
using Xunit;
using static OrleansIm.Tests.Grains.UserGrainTests;

namespace OrleansIm.Tests.Grains;

/// <summary>
/// The user grain puts numbered deliveries back in fan-out order before pushing them (one-way calls between silos may
/// overtake each other): out-of-order arrivals, a stream met mid-way, a delivery that never comes, a new stream.
/// </summary>
public sealed class FanOutOrderTests
{
    private const long Stream = 77;

    [Fact]
    public async Task Deliveries_that_overtook_each_other_are_pushed_in_fan_out_order()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        var device = await im.ConnectAsync("bob", DeviceTypes.Web, "c1");

        await user.Deliver(Message("conv1", 1, from: "carol"), Stream, 1);
        await user.Deliver(Message("conv1", 4, from: "carol"), Stream, 4);
        await user.Deliver(Message("conv1", 3, from: "carol"), Stream, 3);
        await user.Deliver(Message("conv2", 9, from: "dave"), Stream + 1, 1); // another conversation is not held up
        await device.WaitUntilAsync(o => o.Messages.Count == 2, "seq 1 and conv2's message");
        Assert.Equal([1L], Seqs(device, "conv1"));

        await user.Deliver(Message("conv1", 2, from: "carol"), Stream, 2);
        await device.WaitUntilAsync(o => o.Messages.Count == 5, "the gap closed");
        Assert.Equal([1L, 2L, 3L, 4L], Seqs(device, "conv1"));
    }

    [Fact]
    public async Task A_delivery_that_never_comes_holds_the_rest_only_until_the_gap_timeout()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        var device = await im.ConnectAsync("bob", DeviceTypes.Web, "c1");

        await user.Deliver(Message("conv1", 1, from: "carol"), Stream, 1);
        await user.Deliver(Message("conv1", 4, from: "carol"), Stream, 3); // number 2 was lost with a silo
        await user.Deliver(Message("conv1", 3, from: "carol"), Stream, 4);
        await device.WaitUntilAsync(o => o.Messages.Count == 3, "released after the gap timeout");
        Assert.Equal([1L, 4L, 3L], Seqs(device, "conv1")); // fan-out order, not seq order

        await user.Deliver(Message("conv1", 5, from: "carol"), Stream, 5); // the stream goes on after the gap
        await device.WaitUntilAsync(o => o.Messages.Count == 4, "the next one in order");
    }

    [Fact]
    public async Task A_stream_met_mid_way_waits_briefly_for_lower_numbers_then_goes_on()
    {
        await using var im = await ImGrainsHarness.StartAsync();
        var user = await im.LoginAsync("bob");
        var device = await im.ConnectAsync("bob", DeviceTypes.Web, "c1");

        // The conversation's activation is older than this user activation: numbers 1-6 went to an earlier one.
        await user.Deliver(Message("conv1", 8, from: "carol"), Stream, 8);
        await user.Deliver(Message("conv1", 7, from: "carol"), Stream, 7); // in flight, arrives within the wait
        await device.WaitUntilAsync(o => o.Messages.Count == 2, "both, in order");
        Assert.Equal([7L, 8L], Seqs(device, "conv1"));

        // A new conversation activation (another stream): its deliveries start afresh.
        await user.Deliver(Message("conv1", 9, from: "carol"), Stream + 5, 1);
        await device.WaitUntilAsync(o => o.Messages.Count == 3, "the new stream's first");
        await user.Deliver(Message("conv1", 10, from: "carol")); // unnumbered: pushed as it comes
        await device.WaitUntilAsync(o => o.Messages.Count == 4, "an unnumbered delivery");
    }

    [Fact]
    public void A_stream_that_began_after_this_activation_waits_for_its_first_deliveries_like_any_gap()
    {
        // On the ordering itself, without clocks: which wait applies is what differs (a test through a real grain had to
        // race its delay against the 1 s gap timeout, and lost on a loaded CI machine).
        var activated = DateTimeOffset.UtcNow;
        var order = new OrleansIm.Grains.Users.FanOutOrder(activated);
        var ready = new List<ChatMessage>();
        // A conversation activated well after this user activation: none of its deliveries can have gone to an earlier one.
        var newer = OrleansIm.Grains.Users.FanOutStreamIds.New(activated + 2 * OrleansIm.Grains.Users.FanOutOrder.ClockMargin);
        var older = OrleansIm.Grains.Users.FanOutStreamIds.New(activated - TimeSpan.FromMinutes(1));

        order.Accept(Message("conv1", 3, from: "carol"), newer, 3, ready);
        order.Accept(Message("conv1", 2, from: "carol"), newer, 2, ready);
        order.Accept(Message("conv2", 8, from: "carol"), older, 8, ready);
        Assert.Empty(ready);
        Assert.Equal(OrleansIm.Grains.Users.FanOutOrder.GapTimeout, order.WaitLimit("conv1"));
        Assert.Equal(OrleansIm.Grains.Users.FanOutOrder.FreshStreamWait, order.WaitLimit("conv2"));

        order.Accept(Message("conv1", 1, from: "carol"), newer, 1, ready);
        Assert.Equal([1L, 2L, 3L], ready.Select(m => m.Seq));
        Assert.Null(order.WaitLimit("conv1"));
    }

    /// <summary>The device's pushes of one conversation in arrival order (the test observer does not reorder across its own push stream).</summary>
    private static List<long> Seqs(TestClientObserver device, string convId) => device.Messages.Where(m => m.ConvId == convId).Select(m => m.Seq).ToList();
}
