using Microsoft.Extensions.Hosting;
using OrleansIm.Runtime.Membership;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// When the cluster's membership changes, user grains may move to another silo and come up without their
/// in-memory device lists; every connection then re-registers at its next maintenance tick (≤ 5 s) rather
/// than at its next periodic refresh.
/// </summary>
public sealed class MembershipChangeRefresher(IClusterMembership membership, ConnectionManager connections) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        membership.ViewChanged += OnViewChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        membership.ViewChanged -= OnViewChanged;
        return Task.CompletedTask;
    }

    private void OnViewChanged(MembershipView view) => connections.RequestRefreshAll();
}
