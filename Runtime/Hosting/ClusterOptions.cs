namespace OrleansIm.Runtime.Hosting;

/// <summary>Settings of a silo that is part of a cluster (configuration section "Cluster").</summary>
public sealed class ClusterOptions
{
    /// <summary>Silos and gateways with the same cluster id (and membership table) form one cluster.</summary>
    public string ClusterId { get; set; } = "orleansim";

    /// <summary>Address other nodes use to reach this silo (its pod IP or host name).</summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>Address the silo-to-silo listener binds.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo TCP port; 0 picks a free one (tests).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>How many times a call that reached a non-owner (views differ briefly) is forwarded before it is served where it is.</summary>
    public int MaxForwardCount { get; set; } = 2;

    /// <summary>
    /// When the connection to a silo that is leaving gracefully closes, calls still waiting on it are given
    /// this long before they fail: it forwarded them to their new owners, which answer the caller directly.
    /// </summary>
    public TimeSpan LeavingSiloCallGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After leaving, how long a silo keeps its connections open so queued responses and forwards are written.</summary>
    public TimeSpan ShutdownDrainDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On graceful shutdown, how long to wait after announcing ShuttingDown so every node stops routing here first.</summary>
    public TimeSpan ShutdownAnnounceDelay { get; set; } = TimeSpan.FromSeconds(3);
}
