using System.Net;
using OrleansIm.Gateway;
using OrleansIm.Grains;
using OrleansIm.Grains.Storage;
using OrleansIm.Runtime.Hosting;
using OrleansIm.Runtime.Storage.Sqlite;

namespace OrleansIm.Silo;

/// <summary>
/// A complete single-process node: silo (grains on SQLite), message/conversation stores and the gateway.
/// Tests build it in-process on port 0 with a temp data directory and restart it on the same directory.
/// </summary>
public static class StandaloneNode
{
    public const string DataDirectoryKey = "Storage:DataDirectory";
    public const string DatabaseFileName = "orleansim.db";

    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? overrides = null)
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
        var host = string.IsNullOrWhiteSpace(gateway.Host) ? "0.0.0.0" : gateway.Host;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(host), gateway.Port));

        builder.Services.AddOrleansImSilo(silo => silo
            .Configure(options => builder.Configuration.GetSection("Silo").Bind(options))
            .AddImGrains(options => builder.Configuration.GetSection(ImGrainOptions.SectionName).Bind(options))
            .UseSqliteGrainStorage(databasePath));
        builder.Services.AddSqliteImStores();
        builder.Services.AddOrleansImGateway(builder.Configuration);

        var app = builder.Build();
        try
        {
            app.MapOrleansImGateway();
        }
        catch
        {
            // A refused configuration (e.g. missing secrets) must not leave the built host's resources open.
            ((IDisposable)app).Dispose();
            throw;
        }
        return app;
    }
}
