using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using OrleansIm.Runtime;
using OrleansIm.Runtime.Hosting;
using OrleansIm.Runtime.Testing;
using OrleansIm.Tests.Grains.Fakes;

namespace OrleansIm.Tests.Grains;

/// <summary>
/// A TestCluster with the IM grains and in-memory stores, plus helpers that read like the gateway's calls.
/// </summary>
internal sealed class ImGrainsHarness : IAsyncDisposable
{
    private ImGrainsHarness(TestCluster cluster, FakeMessageStore messages, FakeConversationIndex index)
    {
        Cluster = cluster;
        Messages = messages;
        Index = index;
    }

    public TestCluster Cluster { get; }
    public FakeMessageStore Messages { get; }
    public FakeConversationIndex Index { get; }
    public IGrainFactory Grains => Cluster.GrainFactory;

    public static async Task<ImGrainsHarness> StartAsync(
        Action<ImGrainOptions>? configure = null,
        Action<SiloOptions>? configureSilo = null)
    {
        var messages = new FakeMessageStore();
        var index = new FakeConversationIndex();
        var cluster = await TestCluster.StartAsync(silo =>
        {
            silo.UseMemoryGrainStorage();
            if (configureSilo is not null) silo.Configure(configureSilo);
            silo.AddImGrains(configure);
            silo.Services.AddSingleton<IMessageStore>(messages);
            silo.Services.AddSingleton<IConversationIndex>(index);
        });
        return new ImGrainsHarness(cluster, messages, index);
    }

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
