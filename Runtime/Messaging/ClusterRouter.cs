using System.Net;
using OrleansIm.Runtime.Membership;
using OrleansIm.Runtime.Transport;

namespace OrleansIm.Runtime.Messaging;

/// <summary>
/// This process's view of the cluster for routing: who owns a grain (the placement ring of the current
/// membership view), how to reach a silo, and which process id a silo answers as.
/// </summary>
internal sealed class ClusterRouter(ConnectionManager connections, int maxForwardCount, TimeSpan leavingSiloCallGrace)
{
    private volatile MembershipView _view = MembershipView.Empty;

    public ConnectionManager Connections { get; } = connections;

    public int MaxForwardCount { get; } = maxForwardCount;

    public TimeSpan LeavingSiloCallGrace { get; } = leavingSiloCallGrace;

    /// <summary>This silo's address; null in a process that hosts no grains (a gateway), or before joining.</summary>
    public SiloAddress? Self { get; set; }

    public MembershipView View
    {
        get => _view;
        set => _view = value;
    }

    public SiloAddress GetOwner(GrainId grainId) => _view.Ring.GetOwner(grainId);

    public bool IsSelf(SiloAddress silo) => Self is not null && silo == Self;

    /// <summary>The process id a silo said in its transport hello (its membership row's name).</summary>
    public string? ProcessIdOf(SiloAddress silo) => _view.Data.Find(silo)?.Entry.SiloName;

    /// <summary>The address of a live silo by its process id, or null (a gateway, or a silo that is gone).</summary>
    public SiloAddress? AddressOfProcess(string processId)
    {
        foreach (var (entry, _) in _view.Data.Rows)
        {
            if (entry.SiloName == processId && entry.Status != SiloStatus.Dead) return entry.Address;
        }
        return null;
    }

    /// <summary>
    /// True if the process is a silo that left, or is leaving, on purpose (ShuttingDown, or Dead with no votes
    /// against it) — as opposed to one that crashed.
    /// </summary>
    public bool IsLeavingGracefully(string processId)
    {
        foreach (var (entry, _) in _view.Data.Rows)
        {
            if (entry.SiloName != processId) continue;
            if (entry.Status == SiloStatus.ShuttingDown || (entry.Status == SiloStatus.Dead && entry.Suspicions.Count == 0)) return true;
        }
        return false;
    }

    public void SendTo(SiloAddress silo, Message message) => Connections.Send(EndPointOf(silo), message);

    public static EndPoint EndPointOf(SiloAddress silo) =>
        IPAddress.TryParse(silo.Host, out var ip) ? new IPEndPoint(ip, silo.Port) : new DnsEndPoint(silo.Host, silo.Port);
}
