using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansIm.Runtime.Hosting;
using OrleansIm.Runtime.Membership;
using OrleansIm.Runtime.Transport;

namespace OrleansIm.Gateway;

/// <summary>
/// A gateway-only node: terminates client HTTP and WebSockets and keeps no state a restart would lose.
/// The runtime runs in client mode: it reads membership from PostgreSQL, sends each call to the owning
/// silo and hosts the connections' observers. Explicit Gateway:AppKey and Gateway:JwtSecret are required.
/// </summary>
public static class GatewayNode
{
    public const string ConnectionStringName = "Postgres";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        // Never standalone: the secrets check refuses to start without explicit secrets.
        if (string.IsNullOrEmpty(configuration["OrleansIm:Mode"])) configuration["OrleansIm:Mode"] = "gateway";
        var connectionString = configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } c
            ? c
            : throw new InvalidOperationException($"The gateway needs ConnectionStrings:{ConnectionStringName} (the cluster's PostgreSQL membership table).");

        builder.Services.AddOrleansImClient(client => client
            .Configure(options => configuration.GetSection("Silo").Bind(options))
            .UsePostgresClustering(connectionString, options => configuration.GetSection("Cluster").Bind(options)));
        builder.Services.Configure<MembershipOptions>(configuration.GetSection("Membership"));
        builder.Services.Configure<TransportOptions>(configuration.GetSection("Transport"));
        builder.Services.AddOrleansImGateway(configuration);

        var gateway = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(gateway.Host), gateway.Port));
        var app = builder.Build();
        app.MapOrleansImGateway();
        return app;
    }
}
