using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Sockets;

namespace OrleansIm.Gateway;

/// <summary>
/// A gateway-only node: terminates client HTTP and WebSockets and keeps no state a restart would lose. It is an
/// Orleans client: it finds the silos through the cluster's Redis membership, sends each grain call to a silo,
/// and hosts the connections' observers. Started before any silo, it keeps retrying instead of failing.
/// Explicit Gateway:AppKey and Gateway:JwtSecret are required, and so is mutual TLS to the silos (Cluster:Tls) unless
/// explicitly disabled. With ConnectionStrings:Postgres it keeps uploaded files there, where every gateway finds them
/// (Gateway:Files); without it file upload is off.
/// </summary>
public static class GatewayNode
{
    /// <summary>Pause between attempts to reach the cluster at start-up (no silo up yet, Redis not reachable yet).</summary>
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Orleans runtime settings (<c>Silo:ResponseTimeout</c> …), bound onto ClientMessagingOptions here and the silo options on silos.</summary>
    public const string RuntimeSectionName = "Silo";

    /// <summary>A gateway's grain-call timeout unless Silo:ResponseTimeout says otherwise.</summary>
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(5);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        // Never standalone: the secrets check refuses to start without explicit secrets.
        if (string.IsNullOrEmpty(configuration["OrleansIm:Mode"])) configuration["OrleansIm:Mode"] = "gateway";
        var redis = ClusterSettings.RequireRedis(configuration, "The gateway");
        // Ready once the Orleans client holds a connection to a silo; it hears of every connection opened and closed.
        var clusterConnection = new ClusterClientHealthCheck();
        var cluster = ClusterSettings.Read(configuration);
        var tls = ClusterTlsCredentials.Load(cluster.Tls, "The gateway", acceptsConnections: false);

        builder.UseOrleansClient(client =>
        {
            // Mutual TLS to the silos' Orleans gateway ports (Cluster:Tls), before anything connects.
            if (tls is not null) client.UseTls(tls.Configure);
            client
                .UseRedisClustering(redis)
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId))
                .Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = cluster.GatewayListRefreshPeriod)
                .Configure<ClientMessagingOptions>(o =>
                {
                    // A call in flight to a silo that was killed gets no answer at all: bound the wait well inside a
                    // client's retry budget (Orleans' default is 30 s). Silo:ResponseTimeout overrides it.
                    o.ResponseTimeout = DefaultResponseTimeout;
                    configuration.GetSection(RuntimeSectionName).Bind(o);
                })
                .AddClusterConnectionStatusObserver<MembershipChangeRefresher>()
                .AddClusterConnectionStatusObserver(clusterConnection)
                .UseConnectionRetryFilter(async (exception, cancellationToken) =>
                {
                    await Task.Delay(ConnectRetryDelay, cancellationToken);
                    return !cancellationToken.IsCancellationRequested;
                });
        });
        builder.Services.AddOrleansImGateway(configuration);
        // Kestrel starts alongside the Orleans client, not after it: while the client waits for the cluster the
        // process answers /health/live (200) and /health/ready (503) instead of refusing connections.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        builder.Services.AddOrleansImObservability(configuration)
            .AddHealthChecks().AddCheck("orleans-client", clusterConnection, tags: [HealthEndpoints.ReadyTag]);

        var gateway = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.WebHost.ListenForClients(gateway);
        builder.WebHost.ListenForObservability(configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions());
        var app = builder.Build();
        ClusterTlsCredentials.AttachLogging(tls, app.Services);
        app.UseStartupGate();
        app.MapOrleansImGateway();
        app.MapOrleansImObservability();
        return app;
    }
}
