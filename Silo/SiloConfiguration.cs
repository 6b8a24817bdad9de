using System.Net;
using Orleans.Configuration;
using OrleansIm.Gateway;
using OrleansIm.Grains;
using OrleansIm.Grains.Chatrooms;
using OrleansIm.Silo.Admin;

namespace OrleansIm.Silo;

/// <summary>What every silo of this product configures the same way, standalone or clustered: the IM grains and the <c>Silo:</c> settings.</summary>
public static class SiloConfiguration
{
    /// <summary>Bound onto Orleans' SiloMessagingOptions and GrainCollectionOptions (and, on gateways, ClientMessagingOptions), plus SiloName.</summary>
    public const string RuntimeSectionName = GatewayNode.RuntimeSectionName;

    public static ISiloBuilder AddImSiloDefaults(this ISiloBuilder silo, IConfiguration configuration)
    {
        var runtime = configuration.GetSection(RuntimeSectionName);
        silo.AddImGrains(options => configuration.GetSection(ImGrainOptions.SectionName).Bind(options));
        silo.AddChatrooms(options => configuration.GetSection(ChatroomOptions.SectionName).Bind(options));
        silo.Configure<SiloOptions>(o => o.SiloName = runtime["SiloName"] is { Length: > 0 } name ? name : o.SiloName);
        silo.Configure<SiloMessagingOptions>(o => runtime.Bind(o));
        silo.Configure<GrainCollectionOptions>(o => runtime.Bind(o));
        // Every silo collects the dashboard's figures when it is on (served by those with HTTP; Silo/Admin).
        silo.AddImDashboard(configuration);
        return silo;
    }

    /// <summary>The silo and gateway endpoints from the <c>Cluster:</c> section.</summary>
    public static ISiloBuilder UseClusterEndpoints(this ISiloBuilder silo, ClusterSettings cluster)
    {
        silo.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = cluster.SiloPort;
            o.GatewayPort = cluster.GatewayPort;
            if (!string.IsNullOrEmpty(cluster.AdvertisedHost)) o.AdvertisedIPAddress = IPAddress.Parse(cluster.AdvertisedHost);
            if (!string.IsNullOrEmpty(cluster.ListenAddress))
            {
                var listen = IPAddress.Parse(cluster.ListenAddress);
                o.SiloListeningEndpoint = new IPEndPoint(listen, cluster.SiloPort);
                if (cluster.GatewayPort != 0) o.GatewayListeningEndpoint = new IPEndPoint(listen, cluster.GatewayPort);
            }
        });
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        return silo;
    }
}
