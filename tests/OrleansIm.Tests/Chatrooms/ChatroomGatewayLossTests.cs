using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Orleans;
using Xunit;
using static OrleansIm.Tests.Chatrooms.ChatroomClient;

namespace OrleansIm.Tests.Chatrooms;

/// <summary>
/// How a room learns that connections went away without an exit: a gateway whose delivery fails is dropped with all its
/// seats, one that stops renewing expires (Chatrooms:RelayExpiry), and a room that lost its memory (a new activation, as
/// after a silo failure) gets its seats back from the gateways' renewal. Other gateways are fake relays seated through
/// the grain API of a real node; this node's own gateway renews every 500 ms.
/// </summary>
public sealed class ChatroomGatewayLossTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(new Dictionary<string, string?>
    {
        ["Chatrooms:RelayExpiry"] = "00:00:03",
        ["Gateway:ObserverRefreshInterval"] = "00:00:00.500",
    });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private IGrainFactory Grains => _node.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task A_gateway_whose_delivery_fails_is_dropped_with_its_connections()
    {
        var (alice, ghost) = (NodeFixture.NewUserId("al"), NodeFixture.NewUserId("gh"));
        await _node.LoginAsync(ghost);
        await using var socket = await _node.ConnectAsync(await _node.LoginAsync(alice));
        var room = await CreateAsync(_node, alice);
        await EnterAsync(socket, room);
        var dead = new FakeChatroomRelay(fails: true);
        var reference = Grains.CreateObjectReference<IChatroomRelay>(dead);
        var entry = await Grains.GetGrain<IChatroomGrain>(room).Enter(new ChatroomSeat("ghost-conn", ghost, dead.RelayId), reference, 0);
        Assert.Equal(2, entry.Info.Online);

        await SendAsync(socket, room, "anyone there?");
        await WaitForOnlineAsync(socket, room, 1, connections: 1);
        Assert.True(dead.Deliveries >= 1);
        Grains.DeleteObjectReference<IChatroomRelay>(reference);
        GC.KeepAlive(dead);
    }

    [Fact]
    public async Task A_gateway_that_stops_renewing_expires_while_a_renewing_one_stays()
    {
        var (alice, ghost) = (NodeFixture.NewUserId("al"), NodeFixture.NewUserId("gh"));
        await _node.LoginAsync(ghost);
        await using var socket = await _node.ConnectAsync(await _node.LoginAsync(alice));
        var room = await CreateAsync(_node, alice);
        await EnterAsync(socket, room);
        var silent = new FakeChatroomRelay(fails: false);
        var reference = Grains.CreateObjectReference<IChatroomRelay>(silent);
        await Grains.GetGrain<IChatroomGrain>(room).Enter(new ChatroomSeat("silent-conn", ghost, silent.RelayId), reference, 0);
        Assert.Equal(2, (await InfoAsync(socket, room)).GetProperty("online").GetInt32());

        // The fake relay never renews; after RelayExpiry (3 s) it is gone, and alice, renewed every 500 ms, is not.
        await WaitForOnlineAsync(socket, room, 1, connections: 1);
        Assert.True((await InfoAsync(socket, room)).GetProperty("in_room").GetBoolean());
        await SendAsync(socket, room, "still here");
        // Orleans holds a local observer weakly: keep the fake alive to here, or it may be collected and the delete throw.
        Grains.DeleteObjectReference<IChatroomRelay>(reference);
        GC.KeepAlive(silent);
    }

    [Fact]
    public async Task A_room_that_lost_its_memory_gets_its_seats_back_from_the_gateways_renewal()
    {
        var (alice, bob) = (NodeFixture.NewUserId("al"), NodeFixture.NewUserId("bo"));
        await using var aliceSocket = await _node.ConnectAsync(await _node.LoginAsync(alice));
        await using var bobSocket = await _node.ConnectAsync(await _node.LoginAsync(bob));
        var room = await CreateAsync(_node, alice);
        await EnterAsync(aliceSocket, room);
        await EnterAsync(bobSocket, room);

        // A new activation starts with an empty room, as one on another silo would after its silo died.
        var management = Grains.GetGrain<IManagementGrain>(0);
        await Eventually.True(async () =>
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            return (await InfoAsync(bobSocket, room)).GetProperty("online").GetInt32() == 0;
        }, TimeSpan.FromSeconds(20), "the room's activation was collected");

        await WaitForOnlineAsync(bobSocket, room, 2, connections: 2);
        await SendAsync(aliceSocket, room, "back");
        await WaitForMessageAsync(bobSocket, room, "back");
    }
}
