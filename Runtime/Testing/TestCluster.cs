using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansIm.Runtime.Hosting;
using OrleansIm.Runtime.Membership;
using OrleansIm.Runtime.Storage;

namespace OrleansIm.Runtime.Testing;

/// <summary>
/// Starts silos in-process for tests. <see cref="StartAsync"/> gives one standalone silo;
/// <see cref="StartClusterAsync"/> gives several clustered silos talking real TCP on loopback, sharing an
/// in-memory membership table and (unless configured otherwise) one memory grain storage, as separate
/// processes would share a database. Calls take the same serialized message path as in production.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<IHost?> _silos = [];
    private readonly Action<SiloBuilder>? _configure;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly InMemoryMembershipTable? _membership;
    private readonly MemoryGrainStorage _sharedStorage = new();

    private TestCluster(Action<SiloBuilder>? configure, Action<IServiceCollection>? configureServices, InMemoryMembershipTable? membership)
    {
        _configure = configure;
        _configureServices = configureServices;
        _membership = membership;
    }

    /// <summary>Fast failure detection for tests: a killed silo is declared dead within a second or two.</summary>
    public static MembershipOptions FastMembership => new()
    {
        IAmAlivePeriod = TimeSpan.FromMilliseconds(200),
        TableRefreshPeriod = TimeSpan.FromMilliseconds(100),
        ProbePeriod = TimeSpan.FromMilliseconds(100),
        ProbeTimeout = TimeSpan.FromMilliseconds(500),
        MissedProbesLimit = 3,
        NewSiloGracePeriod = TimeSpan.Zero,
    };

    /// <summary>The first live silo's services.</summary>
    public IServiceProvider Services => LiveHosts.First().Services;

    /// <summary>The first live silo's grain factory.</summary>
    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    public int SiloCount => _silos.Count;

    public IEnumerable<int> LiveSilos => Enumerable.Range(0, _silos.Count).Where(i => _silos[i] is not null);

    internal Silo Silo => Services.GetRequiredService<Silo>();

    private IEnumerable<IHost> LiveHosts => _silos.Where(h => h is not null)!;

    public static async Task<TestCluster> StartAsync(Action<SiloBuilder>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var cluster = new TestCluster(configure, configureServices, membership: null);
        await cluster.StartSiloAsync();
        return cluster;
    }

    public static async Task<TestCluster> StartClusterAsync(int silos, Action<SiloBuilder>? configure = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var cluster = new TestCluster(configure, configureServices, new InMemoryMembershipTable());
        for (var i = 0; i < silos; i++) await cluster.StartSiloAsync();
        await cluster.WaitForActiveSilosAsync(silos);
        return cluster;
    }

    public IServiceProvider ServicesOf(int silo) => (_silos[silo] ?? throw new InvalidOperationException($"Silo {silo} is not running.")).Services;

    public IGrainFactory GrainFactoryOf(int silo) => ServicesOf(silo).GetRequiredService<IGrainFactory>();

    internal Silo SiloOf(int silo) => ServicesOf(silo).GetRequiredService<Silo>();

    /// <summary>The address of a clustered silo.</summary>
    public SiloAddress AddressOf(int silo) => SiloOf(silo).Cluster?.Self ?? throw new InvalidOperationException("Not a clustered silo.");

    /// <summary>Which silo the given silo's current view places a grain on.</summary>
    public SiloAddress OwnerOf(GrainId grainId, int viewOfSilo = -1) =>
        SiloOf(viewOfSilo >= 0 ? viewOfSilo : LiveSilos.First()).Cluster!.GetOwner(grainId);

    /// <summary>Starts one more silo (joining the cluster, if clustered); returns its index.</summary>
    public async Task<int> StartSiloAsync()
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var membership = _membership;
        var shared = _sharedStorage;
        builder.Services.AddOrleansImSilo(silo =>
        {
            if (membership is not null)
            {
                silo.UseInMemoryClustering(membership, o =>
                {
                    o.SiloPort = 0;
                    o.ShutdownAnnounceDelay = TimeSpan.FromMilliseconds(300);
                    o.ShutdownDrainDelay = TimeSpan.FromMilliseconds(100);
                });
                silo.Services.Configure<MembershipOptions>(o => Copy(FastMembership, o));
            }
            _configure?.Invoke(silo);
            if (!silo.Services.Any(d => d.ServiceType == typeof(IGrainStorage)))
            {
                if (membership is null) silo.UseMemoryGrainStorage();
                else silo.Services.AddSingleton<IGrainStorage>(shared); // silos share storage like processes share a database
            }
        });
        _configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        _silos.Add(host);
        return _silos.Count - 1;
    }

    /// <summary>
    /// Starts a cluster client (a gateway-only process: no grains) on the shared membership table; dispose
    /// the returned host to stop it. Calls from its grain factory go to the owning silos over TCP.
    /// </summary>
    public async Task<IHost> StartClientAsync(Action<IServiceCollection>? configureServices = null)
    {
        var membership = _membership ?? throw new InvalidOperationException("Clients need a clustered TestCluster (StartClusterAsync).");
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOrleansImClient(client =>
        {
            client.UseInMemoryClustering(membership);
            client.Services.Configure<MembershipOptions>(o => Copy(FastMembership, o));
        });
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Graceful stop of one silo (ShuttingDown, deactivate, leave).</summary>
    public async Task StopSiloAsync(int silo)
    {
        var host = _silos[silo] ?? throw new InvalidOperationException($"Silo {silo} is not running.");
        _silos[silo] = null;
        await host.StopAsync();
        host.Dispose();
    }

    /// <summary>Kills one silo as kill -9 would: it stops answering and leaves no goodbye; the others must notice.</summary>
    public async Task KillSiloAsync(int silo)
    {
        var host = _silos[silo] ?? throw new InvalidOperationException($"Silo {silo} is not running.");
        _silos[silo] = null;
        await host.Services.GetRequiredService<Silo>().CrashAsync();
    }

    /// <summary>Waits until every live silo's view has exactly this many Active silos.</summary>
    public async Task WaitForActiveSilosAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (LiveSilos.Any(i => SiloOf(i).Cluster is { } c && c.View.ActiveSilos.Count != count))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The silos did not converge on {count} active silos: " +
                                           string.Join("; ", LiveSilos.Select(i => $"silo {i} sees {SiloOf(i).Cluster!.View.ActiveSilos.Count}")));
            await Task.Delay(20);
        }
    }

    /// <summary>Gracefully stops every silo: every activation is deactivated.</summary>
    public async Task StopAsync()
    {
        for (var i = _silos.Count - 1; i >= 0; i--)
        {
            if (_silos[i] is not null) await StopSiloAsync(i);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static void Copy(MembershipOptions from, MembershipOptions to)
    {
        to.IAmAlivePeriod = from.IAmAlivePeriod;
        to.TableRefreshPeriod = from.TableRefreshPeriod;
        to.ProbePeriod = from.ProbePeriod;
        to.ProbeTimeout = from.ProbeTimeout;
        to.MissedProbesLimit = from.MissedProbesLimit;
        to.NewSiloGracePeriod = from.NewSiloGracePeriod;
    }
}
