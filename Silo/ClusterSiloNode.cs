using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using GatewayOptions = OrleansIm.Gateway.GatewayOptions;
using OrleansIm.Gateway;
using OrleansIm.Gateway.Admin;
using OrleansIm.Gateway.Observability;
using OrleansIm.Silo.Admin;
using OrleansIm.Grains.Storage;
using OrleansIm.Silo.Health;
using StackExchange.Redis;

namespace OrleansIm.Silo;

/// <summary>
/// A cluster member (OrleansIm:Mode = silo): an Orleans silo whose membership is in Redis and whose grain state,
/// messages and conversation index are in PostgreSQL; reminders (a ringing call's deadline) are in Redis too.
/// Silo-to-silo traffic on Cluster:SiloPort; gateway-only processes connect on Cluster:GatewayPort; both use mutual
/// TLS (Cluster:Tls), and a silo without it refuses to start unless Cluster:Tls:Enabled is false. It serves
/// clients itself when Gateway:Enabled is true, and then serves health and metrics on the client port too. Without a
/// gateway it opens no HTTP port unless Observability:Port asks for one (health and metrics only).
/// </summary>
public static class ClusterSiloNode
{
    public const string PostgresConnectionStringName = ClusterSettings.PostgresConnectionStringName;

    /// <summary>Whether a cluster silo co-hosts a gateway (serves clients itself).</summary>
    public const string GatewayEnabledKey = GatewayOptions.SectionName + ":Enabled";

    /// <summary>Bound onto Orleans' ClusterMembershipOptions.</summary>
    public const string MembershipSectionName = "Membership";

    /// <summary>
    /// The host's shutdown budget for Orleans' graceful silo shutdown (leave membership, hand grains over); a silo that
    /// co-hosts a gateway gets its drain on top. Kubernetes' terminationGracePeriodSeconds must exceed it (k8s/base).
    /// </summary>
    public static readonly TimeSpan SiloShutdownTimeout = TimeSpan.FromSeconds(60);

    public static IHost Build(string[] args)
    {
        var preview = NodeMode.PreviewConfiguration(args);
        var servesClients = preview.GetValue(GatewayEnabledKey, defaultValue: false);
        var observability = preview.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        if (!servesClients && observability.Port is not > 0)
        {
            // No HTTP at all: a plain generic host, so no web server binds a port.
            var hostBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
            var siloTls = AddSilo(hostBuilder);
            hostBuilder.Services.AddJsonConsoleLogDefaults(hostBuilder.Configuration);
            var host = hostBuilder.Build();
            ClusterTlsCredentials.AttachLogging(siloTls, host.Services);
            return host;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var tls = AddSilo(builder);
        // Kestrel starts alongside the silo, not after it has joined: while it starts (schema, joining) the process
        // answers /health/live (200) and /health/ready (503) instead of refusing connections.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        builder.Services.AddOrleansImObservability(builder.Configuration).AddHealthChecks()
            .AddClusterSiloReadiness(ClusterSettings.RequireRedis(builder.Configuration, "OrleansIm:Mode 'silo'"));
        builder.WebHost.ListenForObservability(builder.Configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions());
        // The dashboard's admin-key gate, also on a silo that serves no clients (Observability:Port only).
        builder.Services.AddOrleansImAdminKey(builder.Configuration);
        if (servesClients)
        {
            builder.Services.AddOrleansImGateway(builder.Configuration);
            builder.Services.AddHostedService<MembershipUpdatesRefresher>();
            var gateway = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
            builder.WebHost.ListenForClients(gateway);
        }
        var app = builder.Build();
        ClusterTlsCredentials.AttachLogging(tls, app.Services);
        if (servesClients)
        {
            app.UseStartupGate();
            app.MapOrleansImGateway();
        }
        app.MapOrleansImObservability();
        app.MapOrleansImDashboard();
        return app;
    }

    /// <returns>The cluster TLS credentials in use, or null when Cluster:Tls:Enabled is false.</returns>
    private static ClusterTlsCredentials? AddSilo(IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var postgres = configuration.GetConnectionString(PostgresConnectionStringName) is { Length: > 0 } c
            ? c
            : throw new InvalidOperationException($"OrleansIm:Mode is 'silo': set ConnectionStrings:{PostgresConnectionStringName} (PostgreSQL for grain state and messages).");
        var redis = ClusterSettings.RequireRedis(configuration, "OrleansIm:Mode 'silo'");
        var cluster = ClusterSettings.Read(configuration);
        var tls = ClusterTlsCredentials.Load(cluster.Tls, "OrleansIm:Mode 'silo'", acceptsConnections: true);

        builder.UseOrleans(silo =>
        {
            // Mutual TLS on the silo port (other silos) and the Orleans gateway port (gateways), in and out.
            if (tls is not null) silo.UseTls(tls.Configure);
            if (cluster.Kubernetes)
            {
                // Before UseClusterEndpoints: the Cluster section's ids win over the ORLEANS_* variables the package reads.
                silo.UseKubernetesHosting();
                // Orleans' default advertised address (the first non-loopback one) is applied before the package's
                // pod IP could be, so the pod IP is set explicitly (Cluster:AdvertisedHost still wins).
                if (string.IsNullOrEmpty(cluster.AdvertisedHost)
                    && Environment.GetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable) is { Length: > 0 } podIp)
                    cluster.AdvertisedHost = podIp;
            }
            silo
                .UseRedisClustering(redis)
                .UseClusterEndpoints(cluster)
                .Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSectionName))
                .AddImSiloDefaults(configuration)
                .UsePostgresImStorage(postgres)
                .UseRedisReminderService(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        });
        // SIGTERM → Orleans' graceful shutdown (leave membership, hand grains over, deactivate); give it time.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = SiloShutdownTimeout);
        return tls;
    }
}
