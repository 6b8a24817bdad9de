using Microsoft.Extensions.Configuration;

namespace OrleansIm.Gateway;

/// <summary>
/// What every process of one cluster must agree on (configuration section <c>Cluster</c> and connection string
/// <c>Redis</c>): the Orleans cluster and service ids, and the Redis server that holds the membership table.
/// Silos and gateway-only processes read it the same way, so the two can never disagree on a default; that includes
/// how their connections are authenticated (<see cref="Tls"/>).
/// </summary>
public sealed class ClusterSettings
{
    public const string SectionName = "Cluster";
    public const string RedisConnectionStringName = "Redis";

    /// <summary>Silos: grain state, messages and indexes. Gateways: the file store every gateway shares (optional; Gateway:Files).</summary>
    public const string PostgresConnectionStringName = "Postgres";

    /// <summary>Processes with the same cluster id (and Redis) form one cluster.</summary>
    public string ClusterId { get; set; } = "orleansim";

    /// <summary>Names the application across deployments: grain state and reminders are keyed by it, so keep it across upgrades.</summary>
    public string ServiceId { get; set; } = "orleansim";

    /// <summary>
    /// How often a gateway-only process re-reads the list of silos it may send to. Orleans' default is a minute;
    /// a new silo should take traffic, and a dead one stop taking it, within seconds.
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Silos: silo-to-silo TCP port. 0 in a standalone node = any free port (nothing else needs to find it).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Silos: the port gateway-only processes (Orleans clients) connect to. 0 = this silo accepts no clients.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Silos: the address other processes reach this silo at (in Kubernetes, the pod IP). Empty = Orleans picks the first non-loopback address.</summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>Silos: the address the silo and gateway listeners bind to. Empty = the advertised address.</summary>
    public string? ListenAddress { get; set; }

    /// <summary>
    /// Silos: running as pods of one Kubernetes Deployment (k8s/). The silo then takes its name (the pod name) and
    /// advertised address (the pod IP) from the pod (POD_NAME, POD_NAMESPACE, POD_IP from the downward API), listens on
    /// every interface, and removes from membership the silos whose pods are gone (Microsoft.Orleans.Hosting.Kubernetes;
    /// needs a service account that may get, list, watch and patch pods). Leave <see cref="AdvertisedHost"/> and
    /// <see cref="ListenAddress"/> empty then.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>Silos and gateways: mutual TLS for cluster traffic (<c>Cluster:Tls</c>), required unless explicitly disabled.</summary>
    public ClusterTlsSettings Tls { get; set; } = new();

    public static ClusterSettings Read(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<ClusterSettings>() ?? new ClusterSettings();

    /// <summary>The Redis connection string (StackExchange.Redis syntax, e.g. <c>127.0.0.1:6379</c>); cluster processes cannot start without it.</summary>
    public static string RequireRedis(IConfiguration configuration, string who) =>
        configuration.GetConnectionString(RedisConnectionStringName) is { Length: > 0 } redis
            ? redis
            : throw new InvalidOperationException($"{who} needs ConnectionStrings:{RedisConnectionStringName} (the Redis server holding the cluster's membership).");
}
