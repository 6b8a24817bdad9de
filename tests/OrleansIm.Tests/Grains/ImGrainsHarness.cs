using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using OrleansIm.Runtime;
using OrleansIm.Runtime.Storage;
using OrleansIm.Runtime.Testing;
using OrleansIm.Tests.Grains.Fakes;

namespace OrleansIm.Tests.Grains;

/// <summary>
/// A TestCluster with the IM grains and in-memory stores, plus helpers that read like the gateway's calls.
/// Stores (and optionally grain storage) can be shared between two harnesses to simulate a silo restart.
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
        IGrainStorage? sharedGrainStorage = null,
        FakeMessageStore? messages = null,
        FakeConversationIndex? index = null)
    {
        messages ??= new FakeMessageStore();
        index ??= new FakeConversationIndex();
        var cluster = await TestCluster.StartAsync(silo =>
        {
            silo.UseMemoryGrainStorage();
            if (sharedGrainStorage is not null) silo.Services.AddSingleton(sharedGrainStorage);
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

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
