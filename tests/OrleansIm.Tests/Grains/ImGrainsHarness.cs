using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using OrleansIm.Runtime;
using OrleansIm.Runtime.Hosting;
using OrleansIm.Runtime.Testing;

namespace OrleansIm.Tests.Grains;

/// <summary>
/// A TestCluster with the IM grains and in-memory stores, plus helpers that read like the gateway's calls.
/// </summary>
internal sealed class ImGrainsHarness : IAsyncDisposable
{
    private ImGrainsHarness(TestCluster cluster, IMessageStore messages, IConversationIndex index)
    {
        Cluster = cluster;
        Messages = messages;
        Index = index;
    }

    public TestCluster Cluster { get; }
    public IMessageStore Messages { get; }
    public IConversationIndex Index { get; }
    public IGrainFactory Grains => Cluster.GrainFactory;

    public static async Task<ImGrainsHarness> StartAsync(
        Action<ImGrainOptions>? configure = null,
        Action<SiloOptions>? configureSilo = null)
    {
        var cluster = await TestCluster.StartAsync(silo =>
        {
            silo.UseMemoryGrainStorage();
            if (configureSilo is not null) silo.Configure(configureSilo);
            silo.AddImGrains(configure);
            silo.Services.AddMemoryImStores();
        });
        return new ImGrainsHarness(cluster, cluster.Services.GetRequiredService<IMessageStore>(), cluster.Services.GetRequiredService<IConversationIndex>());
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

    public bool IsActive(string grainType, string key) => Cluster.Silo.Catalog.TryGetActivation(new GrainId(grainType, key), out _);

    /// <summary>Runs idle collection until the grain's activation is gone (needs a short CollectionAge).</summary>
    public Task CollectAsync(string grainType, string key) =>
        Eventually.True(() =>
        {
            Cluster.Silo.Catalog.CollectIdle();
            return !IsActive(grainType, key);
        }, because: $"{grainType}/{key} collected");

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
