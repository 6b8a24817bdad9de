using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansIm.Runtime.Catalog;
using OrleansIm.Runtime.Invocation;
using OrleansIm.Runtime.Membership;
using OrleansIm.Runtime.Messaging;
using OrleansIm.Runtime.Observers;
using OrleansIm.Runtime.Serialization;
using OrleansIm.Runtime.Transport;

namespace OrleansIm.Runtime.Hosting;

/// <summary>
/// One silo: wires the runtime pieces together (interfaces → serializer → callbacks → message center →
/// catalog and object registry → grain factory), runs idle collection and, when clustered, the transport
/// listener and the membership agent.
/// </summary>
internal sealed class Silo : IAsyncDisposable, IDisposable, IClusterMembership
{
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private Timer? _collector;
    private SiloListener? _listener;
    private ClusterOptions? _clusterOptions; // set when clustered
    private CancellationTokenSource? _clientRefresh;
    private Task? _clientLoop;
    private bool _stopped;

    public Silo(IServiceProvider services, IOptions<SiloOptions> options, GrainAssemblyList assemblies)
    {
        _services = services;
        Options = options.Value;
        _loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("OrleansIm.Runtime");
        Interfaces = new GrainInterfaceRegistry();
        GrainFactory? factory = null;
        Serializer = new MessageSerializer((type, id) => factory!.CreateReference(type, id));
        Callbacks = new CallbackTable(Serializer, Options.ResponseTimeout);
        MessageCenter = new MessageCenter(Options.SiloId, Callbacks, Serializer, _logger);
        Objects = new LocalObjectRegistry(Options.SiloId, Interfaces, Serializer, MessageCenter);
        Client = new RuntimeClient(MessageCenter, Callbacks, Serializer, Options.ResponseTimeout);
        factory = new GrainFactory(Interfaces, Client, Objects);
        GrainFactory = factory;
        Classes = new GrainClassRegistry(assemblies.Assemblies, Interfaces);
        Catalog = new GrainCatalog(Options, services, Classes, Interfaces, Serializer, MessageCenter, factory, _logger);
        if (Options.HostsGrains) MessageCenter.Catalog = Catalog;
        MessageCenter.Objects = Objects;

        if (services.GetService<IMembershipTable>() is not null)
        {
            var connections = new ConnectionManager(Options.SiloId, MessageCenter.Send, MessageCenter.OnConnectionLost,
                services.GetRequiredService<IOptions<TransportOptions>>().Value, _loggerFactory.CreateLogger("OrleansIm.Transport"),
                MessageCenter.OnSendFailed);
            _clusterOptions = services.GetRequiredService<IOptions<ClusterOptions>>().Value;
            Cluster = new ClusterRouter(connections, _clusterOptions.MaxForwardCount, _clusterOptions.LeavingSiloCallGrace);
            MessageCenter.Cluster = Cluster;
        }
    }

    public SiloOptions Options { get; }
    public GrainInterfaceRegistry Interfaces { get; }
    public MessageSerializer Serializer { get; }
    public CallbackTable Callbacks { get; }
    public MessageCenter MessageCenter { get; }
    public LocalObjectRegistry Objects { get; }
    public RuntimeClient Client { get; }
    public GrainClassRegistry Classes { get; }
    public GrainCatalog Catalog { get; }
    public IGrainFactory GrainFactory { get; }

    /// <summary>Null for a standalone silo.</summary>
    public ClusterRouter? Cluster { get; }

    public MembershipAgent? Membership { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _collector = new Timer(_ => Catalog.CollectIdle(), null, Options.CollectionQuantum, Options.CollectionQuantum);
        if (Cluster is null)
        {
            if (!Options.HostsGrains) throw new InvalidOperationException("A process that hosts no grains needs clustering (a membership table) to reach silos.");
            return;
        }
        if (!Options.HostsGrains)
        {
            await StartClientAsync(cancellationToken);
            return;
        }

        var cluster = _clusterOptions!;
        _listener = await SiloListener.StartAsync(Cluster.Connections, cluster.SiloPort, IPAddress.Parse(cluster.ListenAddress), _loggerFactory);
        var self = new SiloAddress(cluster.AdvertisedHost, _listener.Port, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Cluster.Self = self;

        Membership = new MembershipAgent(self, Options.SiloId, _services.GetRequiredService<IMembershipTable>(),
            _services.GetRequiredService<IOptions<MembershipOptions>>().Value, ProbeAsync, _loggerFactory.CreateLogger("OrleansIm.Membership"));
        Membership.ViewChanged += OnViewChanged;
        Membership.DeclaredDead += OnDeclaredDead;
        await Membership.JoinAsync(cancellationToken);
        _logger.LogInformation("Silo {SiloId} at {Address} is Active in cluster '{ClusterId}'.", Options.SiloId, self, cluster.ClusterId);
    }

    /// <summary>
    /// Client mode: follow the membership table and keep a connection to every active silo, so that silos can
    /// answer and call observers here (a client listens on no port; silos reach it over its own connections).
    /// </summary>
    private async Task StartClientAsync(CancellationToken cancellationToken)
    {
        var table = _services.GetRequiredService<IMembershipTable>();
        var period = _services.GetRequiredService<IOptions<MembershipOptions>>().Value.TableRefreshPeriod;
        await table.InitializeAsync(cancellationToken);
        await RefreshClientViewAsync(table, cancellationToken);
        _clientRefresh = new CancellationTokenSource();
        var stopping = _clientRefresh.Token;
        _clientLoop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(period);
            try
            {
                while (await timer.WaitForNextTickAsync(stopping))
                {
                    try
                    {
                        await RefreshClientViewAsync(table, stopping);
                    }
                    catch (Exception ex) when (!stopping.IsCancellationRequested)
                    {
                        _logger.LogWarning(ex, "Reading the membership table failed; keeping the last view.");
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        _logger.LogInformation("Client {Id} sees {Count} active silos.", Options.SiloId, Cluster!.View.ActiveSilos.Count);
    }

    private async Task RefreshClientViewAsync(IMembershipTable table, CancellationToken cancellationToken)
    {
        var data = await table.ReadAllAsync(cancellationToken);
        if (data.Version.Version != Cluster!.View.Version)
        {
            var view = new MembershipView(data);
            Cluster.View = view;
            ViewChanged?.Invoke(view);
        }
        foreach (var (entry, _) in data.Rows)
        {
            if (entry.Status != SiloStatus.Active || Cluster.Connections.IsConnected(entry.SiloName)) continue;
            // A ping opens the connection; its failure only means the silo is not up yet.
            _ = GrainFactory.GetGrain<ISiloControl>(entry.Address.ToString()).Ping().ContinueWith(
                t => _logger.LogDebug(t.Exception, "Could not reach silo {Silo} yet.", entry.Address),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    public MembershipView Current => Cluster?.View ?? MembershipView.Empty;

    public event Action<MembershipView>? ViewChanged;

    /// <summary>
    /// Graceful stop: announce ShuttingDown (others stop routing here), give them a moment to see it,
    /// deactivate every grain (persisting), then leave the membership table and close connections.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        if (_collector is not null) await _collector.DisposeAsync();
        if (Membership is not null && Membership.Status == SiloStatus.Active)
        {
            try
            {
                await Membership.BeginShutdownAsync();
                await Task.Delay(_clusterOptions!.ShutdownAnnounceDelay);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Could not announce shutdown of {SiloId}.", Options.SiloId);
            }
        }
        await Catalog.DeactivateAllAsync(Options.DeactivationTimeout);
        if (Membership is not null)
        {
            try
            {
                await Membership.LeaveAsync();
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Could not mark {SiloId} Dead on leaving; the others will vote it dead.", Options.SiloId);
            }
            // Responses and forwards still queued on connections must reach the wire before they close.
            await Task.Delay(_clusterOptions!.ShutdownDrainDelay);
        }
        await DisposeTransportAsync();
    }

    /// <summary>Simulates a crash (kill -9) for tests: stops answering at once, leaves nothing behind gracefully.</summary>
    internal async Task CrashAsync()
    {
        _stopped = true;
        if (_collector is not null) await _collector.DisposeAsync();
        await DisposeTransportAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _collector?.Dispose();
        await DisposeTransportAsync();
        Callbacks.Dispose();
    }

    // The container may dispose synchronously (IHost.Dispose); closing sockets must still happen.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task DisposeTransportAsync()
    {
        if (_clientRefresh is not null)
        {
            await _clientRefresh.CancelAsync();
            if (_clientLoop is not null) await _clientLoop;
            _clientRefresh = null;
        }
        if (Membership is not null) await Membership.DisposeAsync();
        if (_listener is not null) await _listener.DisposeAsync();
        if (Cluster is not null) await Cluster.Connections.DisposeAsync();
        _listener = null;
    }

    private void OnViewChanged(MembershipView view)
    {
        Cluster!.View = view;
        ViewChanged?.Invoke(view);
        if (view.Ring.IsEmpty || Cluster.Self is not { } self) return;
        Catalog.OnOwnershipChanged(grain => view.Ring.GetOwner(grain) == self);
    }

    private void OnDeclaredDead()
    {
        // The cluster has moved on without this silo; serving now could only create duplicates.
        _logger.LogCritical("Silo {SiloId} was declared dead by the cluster; stopping the process.", Options.SiloId);
        _services.GetService<IHostApplicationLifetime>()?.StopApplication();
    }

    private async Task<bool> ProbeAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        await GrainFactory.GetGrain<ISiloControl>(silo.ToString()).Ping().WaitAsync(cancellationToken);
        return true;
    }
}
