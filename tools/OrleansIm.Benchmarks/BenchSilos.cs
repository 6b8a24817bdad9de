using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using OrleansIm.ToolsShared;

namespace OrleansIm.Benchmarks;

/// <summary>
/// Orleans silos hosted in this process, each in its own generic host, talking real TCP on 127.0.0.1
/// (localhost clustering: silo 0 is the primary the others join). No storage, no product grains: only
/// <see cref="BenchGrain"/>, so the figures are Orleans' own cost.
/// </summary>
public sealed class BenchSilos : IAsyncDisposable
{
    private readonly List<IHost> _hosts;

    private BenchSilos(List<IHost> hosts) => _hosts = hosts;

    public int Count => _hosts.Count;

    /// <summary>The grain factory of silo <paramref name="index"/>: calls made through it start on that silo.</summary>
    public IGrainFactory GrainFactoryOf(int index) => _hosts[index].Services.GetRequiredService<IGrainFactory>();

    /// <summary>The address of silo <paramref name="index"/> (what <see cref="IBenchGrain.Where"/> returns for its activations).</summary>
    public string IdentityOf(int index) => _hosts[index].Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

    public static async Task<BenchSilos> StartAsync(int count)
    {
        var siloPorts = Enumerable.Range(0, count).Select(_ => NodeProcess.FreePort()).ToArray();
        var primary = new IPEndPoint(IPAddress.Loopback, siloPorts[0]);
        var clusterId = $"bench-{Guid.NewGuid():N}"[..14];
        var hosts = new List<IHost>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
                // Warnings only, without the silo's start-up note that the benchmark runs on workstation GC (as before the move).
                builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
                var siloPort = siloPorts[i];
                builder.UseOrleans(silo => silo
                    // gatewayPort 0: no client gateway, the calls start inside the silos.
                    .UseLocalhostClustering(siloPort: siloPort, gatewayPort: 0, primarySiloEndpoint: primary, serviceId: "bench", clusterId: clusterId)
                    .Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback));
                var host = builder.Build();
                hosts.Add(host);
                await host.StartAsync();
            }

            // Wait until silo 0 sees every silo as active and knows each one hosts BenchGrain, so random placement
            // from silo 0 spreads over all of them.
            var membership = hosts[0].Services.GetRequiredService<IClusterMembershipService>();
            var manifest = hosts[0].Services.GetRequiredService<IClusterManifestProvider>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (membership.CurrentSnapshot.Members.Count(m => m.Value.Status == SiloStatus.Active) < count
                   || manifest.Current.Silos.Count < count)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"The {count} silos did not form a cluster within 60 s.");
                await Task.Delay(100);
            }
            return new BenchSilos(hosts);
        }
        catch
        {
            await new BenchSilos(hosts).DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Secondaries first, the primary last; don't wait for a slow graceful shutdown.
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _hosts[i].StopAsync(timeout.Token); } catch (OperationCanceledException) { }
            _hosts[i].Dispose();
        }
    }
}
