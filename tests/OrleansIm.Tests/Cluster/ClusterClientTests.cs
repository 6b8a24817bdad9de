using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Runtime;
using OrleansIm.Runtime.Testing;
using OrleansIm.Tests.Runtime;
using Xunit;

namespace OrleansIm.Tests.Cluster;

/// <summary>A gateway-only process (cluster client) in front of three silos.</summary>
public sealed class ClusterClientTests
{
    private static Task<TestCluster> StartAsync() =>
        TestCluster.StartClusterAsync(3, silo => silo.AddGrains(typeof(ClusterClientTests).Assembly),
            services => services.AddSingleton<LifecycleLog>().AddSingleton(new PublisherSettings()));

    [Fact]
    public async Task A_client_reaches_every_silo_and_hosts_observers_they_call()
    {
        await using var cluster = await StartAsync();
        using var client = await cluster.StartClientAsync();
        var grains = client.Services.GetRequiredService<IGrainFactory>();

        var hosts = new HashSet<string>();
        for (var i = 0; i < 30; i++) hosts.Add(await grains.GetGrain<IPlacedGrain>($"c{i}").WhereAmI());
        Assert.Equal(3, hosts.Count);

        // Observers live in the client; the publishers live on whichever silos own them.
        var received = new List<string>();
        var observer = new Greetings(received);
        var reference = grains.CreateObjectReference<IGreetingObserver>(observer);
        for (var i = 0; i < 6; i++)
        {
            var publisher = grains.GetGrain<IPublisherGrain>($"pub{i}");
            await publisher.Subscribe(reference);
            await publisher.Publish($"hello {i}");
        }
        await Eventually.True(() => { lock (received) return received.Count == 6; });
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"hello {i}").Order(), received.Order());
        await client.StopAsync();
    }

    [Fact]
    public async Task A_client_fails_fast_then_recovers_when_a_silo_dies()
    {
        await using var cluster = await StartAsync();
        using var client = await cluster.StartClientAsync();
        var grains = client.Services.GetRequiredService<IGrainFactory>();
        var keys = Enumerable.Range(0, 30).Select(i => $"d{i}").ToList();
        foreach (var key in keys) await grains.GetGrain<IPlacedGrain>(key).Increment();

        await cluster.KillSiloAsync(1);
        foreach (var key in keys)
        {
            (int Value, string Silo) result = default;
            var started = DateTime.UtcNow;
            await Eventually.True(async () =>
            {
                try
                {
                    result = await grains.GetGrain<IPlacedGrain>(key).Increment();
                    return true;
                }
                catch (SiloUnavailableException)
                {
                    return false; // the dead silo is refused quickly, not after the 30 s timeout
                }
            }, TimeSpan.FromSeconds(20));
            Assert.Equal(2, result.Value);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
        }
        await client.StopAsync();
    }

    private sealed class Greetings(List<string> received) : IGreetingObserver
    {
        public Task OnGreeting(string text)
        {
            lock (received) received.Add(text);
            return Task.CompletedTask;
        }
    }
}
