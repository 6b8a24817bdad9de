using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansIm.Runtime.Hosting;
using OrleansIm.Runtime.Storage;

namespace OrleansIm.Runtime.Testing;

/// <summary>
/// Starts a silo in-process for tests (memory grain storage unless configured otherwise).
/// Calls made through <see cref="GrainFactory"/> take the same serialized message path as any other call.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestCluster(IHost host)
    {
        _host = host;
    }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory GrainFactory => _host.Services.GetRequiredService<IGrainFactory>();

    internal Silo Silo => _host.Services.GetRequiredService<Silo>();

    public static async Task<TestCluster> StartAsync(Action<SiloBuilder>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOrleansImSilo(silo =>
        {
            configure?.Invoke(silo);
            if (!silo.Services.Any(d => d.ServiceType == typeof(IGrainStorage))) silo.UseMemoryGrainStorage();
        });
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new TestCluster(host);
    }

    /// <summary>Gracefully stops the silo: every activation is deactivated.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
