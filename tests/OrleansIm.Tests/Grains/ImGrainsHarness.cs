using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;
using OrleansIm.Grains;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Grains;

/// <summary>
/// An Orleans in-process test cluster (one silo on loopback) with the IM grains, plus helpers that read like the
/// gateway's calls. By default grain state, messages, the index and reminders are in memory; <c>storage</c> replaces
/// all of that (a test that restarts a cluster on the same data), and <c>serviceId</c> makes two clusters one service.
/// </summary>
internal sealed class ImGrainsHarness : IAsyncDisposable
{
    private ImGrainsHarness(InProcessTestCluster cluster)
    {
        Cluster = cluster;
        var silo = cluster.Silos[0].ServiceProvider;
        Messages = silo.GetRequiredService<IMessageStore>();
        Index = silo.GetRequiredService<IConversationIndex>();
    }

    public InProcessTestCluster Cluster { get; }
    public IMessageStore Messages { get; }
    public IConversationIndex Index { get; }
    public IGrainFactory Grains => Cluster.Client;

    public static async Task<ImGrainsHarness> StartAsync(
        Action<ImGrainOptions>? configure = null,
        Action<GrainCollectionOptions>? configureCollection = null,
        Action<ISiloBuilder>? storage = null,
        string? serviceId = null)
    {
        var builder = new InProcessTestClusterBuilder(1);
        if (serviceId is not null) builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((_, silo) =>
        {
            if (storage is null)
            {
                silo.AddMemoryGrainStorageAsDefault();
                silo.UseInMemoryReminderService();
                silo.Services.AddMemoryImStores();
            }
            else storage(silo);
            if (configureCollection is not null) silo.Configure(configureCollection);
            silo.AddImGrains(configure);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ImGrainsHarness(cluster);
    }

    /// <summary>Every row of the app's conversation index.</summary>
    public async Task<IReadOnlyList<ConversationInfo>> IndexRowsAsync(string appId = "666666") =>
        (await Index.QueryAsync(appId, new ConversationQuery([], 1, 100))).Items;

    public IUserGrain User(string userId) => Grains.GetGrain<IUserGrain>(userId);

    public IConversationGrain Conversation(string convId) => Grains.GetGrain<IConversationGrain>(convId);

    public async Task<IUserGrain> LoginAsync(string userId)
    {
        var user = User(userId);
        await user.Login(new LoginRequest($"nick-{userId}", null, DeviceTypes.Web, null));
        return user;
    }

    /// <summary>Registers a fresh observer for a connection, as the gateway does when a socket opens.</summary>
    public async Task<TestClientObserver> ConnectAsync(string userId, string deviceType, string connectionId)
    {
        var observer = new TestClientObserver();
        await User(userId).Connect(new DeviceSession(deviceType, connectionId, Reference(observer)));
        return observer;
    }

    public IClientObserver Reference(TestClientObserver observer) => Grains.CreateObjectReference<IClientObserver>(observer);

    public bool IsActive(string grainType, string key) => Cluster.TryGetGrainContext(GrainId.Create(grainType, key), out _);

    /// <summary>Waits for Orleans' idle collection to deactivate the grain (start the harness with a short CollectionAge).</summary>
    public Task CollectAsync(string grainType, string key) =>
        Eventually.True(() => !IsActive(grainType, key), because: $"{grainType}/{key} collected", timeout: TimeSpan.FromSeconds(30));

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
