using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansIm.Runtime.Transport;

/// <summary>
/// A bare Kestrel listener (no HTTP) that feeds inbound connections to a <see cref="ConnectionManager"/>. Each one
/// is its own small host, so tests and the in-process TestCluster can run several silos in one process.
/// </summary>
internal sealed class SiloListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private SiloListener(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    /// <summary>The bound endpoint; with port 0 this carries the port the OS chose.</summary>
    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>Listens on <paramref name="address"/> (default 127.0.0.1) and <paramref name="port"/> (0 = any free port).</summary>
    public static async Task<SiloListener> StartAsync(ConnectionManager manager, int port = 0, IPAddress? address = null, ILoggerFactory? loggerFactory = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        if (loggerFactory is not null) builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(manager);
        builder.Services.AddSingleton<SiloConnectionHandler>();

        ListenOptions? listen = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(address ?? IPAddress.Loopback, port, options =>
            {
                listen = options;
                options.UseConnectionHandler<SiloConnectionHandler>();
            }));
        // A test process may set ASPNETCORE_URLS; only the endpoint above may be bound.
        builder.WebHost.UseSetting(WebHostDefaults.PreferHostingUrlsKey, "false");

        var app = builder.Build();
        await app.StartAsync();
        // Kestrel writes the bound endpoint back into the ListenOptions, which is how port 0 reports its port.
        var bound = listen?.IPEndPoint ?? throw new InvalidOperationException("Kestrel did not bind the silo endpoint.");
        return new SiloListener(app, bound);
    }

    /// <summary>Stops accepting and asks open connections to close (they are served by the manager until then).</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
