using OrleansIm.Gateway.Sockets;

namespace OrleansIm.Silo;

/// <summary>
/// In a process that co-hosts a gateway with a silo: each change of the cluster's membership (a silo joined,
/// left or died) asks every client connection to re-register with its user grain at its next maintenance tick,
/// because a user grain that moved came up without its in-memory device list.
/// </summary>
public sealed class MembershipUpdatesRefresher(IClusterMembershipService membership, ConnectionManager connections, ILogger<MembershipUpdatesRefresher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            MembershipVersion? seen = null;
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                if (seen is not null && snapshot.Version > seen.Value) connections.RequestRefreshAll();
                seen = snapshot.Version;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Membership updates stopped; connections fall back to their periodic refresh.");
        }
    }
}
