using System.Net;
using OrleansIm.Gateway;
using OrleansIm.Grains;
using OrleansIm.Grains.Storage;
using OrleansIm.Runtime.Hosting;
using OrleansIm.Runtime.Membership;
using OrleansIm.Runtime.Storage.PostgreSql;
using OrleansIm.Runtime.Transport;

namespace OrleansIm.Silo;

/// <summary>
/// A cluster member (OrleansIm:Mode = silo): grains, state and messages on PostgreSQL, membership in the same
/// database, silo-to-silo TCP on Cluster:SiloPort. It serves clients too when Gateway:Enabled is true;
/// otherwise it opens no HTTP port and gateways run as separate processes (the Gateway executable).
/// </summary>
public static class ClusterSiloNode
{
    public const string ConnectionStringName = "Postgres";

    public static IHost Build(string[] args)
    {
        if (!NodeMode.PreviewConfiguration(args).GetValue("Gateway:Enabled", defaultValue: false))
        {
            // No HTTP at all: a plain generic host, so no web server binds a port.
            var hostBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
            AddSilo(hostBuilder);
            return hostBuilder.Build();
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        AddSilo(builder);
        builder.Services.AddOrleansImGateway(builder.Configuration);
        var gateway = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(gateway.Host), gateway.Port));
        var app = builder.Build();
        app.MapOrleansImGateway();
        return app;
    }

    private static void AddSilo(IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } c
            ? c
            : throw new InvalidOperationException($"OrleansIm:Mode is 'silo': set ConnectionStrings:{ConnectionStringName} (PostgreSQL for membership, grain state and messages).");

        builder.Services.AddOrleansImSilo(silo => silo
            .Configure(options => configuration.GetSection("Silo").Bind(options))
            .AddImGrains(options => configuration.GetSection(ImGrainOptions.SectionName).Bind(options))
            .UsePostgresGrainStorage(connectionString)
            .UsePostgresClustering(connectionString, options => configuration.GetSection("Cluster").Bind(options)));
        builder.Services.Configure<MembershipOptions>(configuration.GetSection("Membership"));
        builder.Services.Configure<TransportOptions>(configuration.GetSection("Transport"));
        builder.Services.AddPostgresImStores();
        // SIGTERM → graceful leave (announce, drain, deactivate); give it time beyond the default 30 s.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
    }
}
