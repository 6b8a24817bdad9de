using System.Net;
using System.Net.Sockets;
using OrleansIm.Gateway;
using OrleansIm.Gateway.Observability;
using OrleansIm.Silo.Admin;
using OrleansIm.Grains.Storage;
using OrleansIm.Silo.Health;

namespace OrleansIm.Silo;

/// <summary>
/// A complete single-process node: one Orleans silo with localhost clustering (grains on SQLite), the message and
/// conversation stores, and the gateway, which calls grains through the silo's own client. No external service.
/// Its silo port is any free loopback port unless <c>Cluster:SiloPort</c> says otherwise, and it opens no Orleans
/// gateway port, so several nodes (and the tests) run side by side. Tests build it in-process on port 0 with a temp
/// data directory and restart it on the same directory.
/// </summary>
public static class StandaloneNode
{
    public const string DataDirectoryKey = "Storage:DataDirectory";
    public const string DatabaseFileName = "orleansim.db";

    /// <param name="overrides">Configuration laid over the usual sources (tests: port 0, a temp data directory).</param>
    /// <param name="services">Extra services (tests: a log capture).</param>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? overrides = null, Action<IServiceCollection>? services = null)
    {
        // Content root = the binary's folder so appsettings.json is found wherever `dotnet run` is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        overrides?.Invoke(builder.Configuration);

        // Relative data directories are relative to the working directory (default ./data), resolved once so
        // every component (grain storage, stores, the generated JWT secret) agrees on it.
        var dataDirectory = Path.GetFullPath(builder.Configuration[DataDirectoryKey] is { Length: > 0 } d ? d : "data");
        Directory.CreateDirectory(dataDirectory);
        builder.Configuration[DataDirectoryKey] = dataDirectory;
        var databasePath = Path.Combine(dataDirectory, DatabaseFileName);

        var gateway = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.WebHost.ListenForClients(gateway);
        builder.WebHost.ListenForObservability(builder.Configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions());

        var siloPort = builder.Configuration.GetValue<int?>($"{ClusterSettings.SectionName}:{nameof(ClusterSettings.SiloPort)}") is > 0 and var p ? p : FreeLoopbackPort();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: siloPort, gatewayPort: 0)
            .AddImSiloDefaults(builder.Configuration)
            .UseSqliteImStorage(databasePath)
            // One silo: reminders live as long as the process; a ringing call is reactivated by its parties' grains after a restart.
            .UseInMemoryReminderService());
        builder.Services.AddOrleansImGateway(builder.Configuration);
        builder.Services.AddOrleansImObservability(builder.Configuration).AddHealthChecks().AddStandaloneReadiness();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        try
        {
            app.MapOrleansImGateway();
            app.MapOrleansImObservability();
            app.MapOrleansImDashboard();
        }
        catch
        {
            // A refused configuration (e.g. missing secrets) must not leave the built host's resources open.
            ((IDisposable)app).Dispose();
            throw;
        }
        return app;
    }

    /// <summary>A port nothing listens on now (the OS picks it); the silo binds it a moment later.</summary>
    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
