using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Chatrooms;

/// <summary>
/// Renews this gateway's seats in every room it has connections in, every Gateway:ObserverRefreshInterval and at once
/// when the cluster changed (a room whose silo died comes back empty on another): rooms drop seats a gateway stopped
/// renewing (Chatrooms:RelayExpiry), and a renewal lists only connections still open, so a seat whose exit was lost
/// goes too. A room that no longer exists answers false: its connections here are told <c>chatroom.closed</c>.
/// </summary>
public sealed class ChatroomRelayRenewal(
    ChatroomRelay relay, ConnectionManager connections, IGrainFactory grains, IOptions<GatewayOptions> options, ILogger<ChatroomRelayRenewal> logger)
    : BackgroundService
{
    private const int ParallelRenewals = 16;
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private int _requested;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        connections.RefreshAllRequested += () => Interlocked.Exchange(ref _requested, 1);
        var period = options.Value.ObserverRefreshInterval;
        var next = DateTime.UtcNow + period;
        using var timer = new PeriodicTimer(period < Tick ? period : Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (DateTime.UtcNow < next && Interlocked.Exchange(ref _requested, 0) == 0) continue;
                next = DateTime.UtcNow + period;
                await RenewAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One renewal of every room with connections here.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var rooms = relay.SeatsByRoom();
        if (rooms.Count == 0) return;
        var reference = relay.Reference;
        await Parallel.ForEachAsync(rooms, new ParallelOptions { MaxDegreeOfParallelism = ParallelRenewals, CancellationToken = cancellationToken }, async (room, _) =>
        {
            try
            {
                if (!await grains.GetGrain<IChatroomGrain>(room.ConvId).RefreshRelay(relay.RelayId, reference, room.Seats))
                    relay.CloseLocal(room.ConvId);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Renewing this gateway's seats in chatroom {ConvId} failed; will retry", room.ConvId);
            }
        });
    }
}
