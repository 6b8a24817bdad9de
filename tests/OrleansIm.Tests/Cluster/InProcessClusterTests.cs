using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansIm.Runtime;
using OrleansIm.Runtime.Hosting;
using OrleansIm.Runtime.Messaging;
using OrleansIm.Runtime.Testing;
using Xunit;

namespace OrleansIm.Tests.Cluster;

/// <summary>Three silos in one process, talking real TCP on loopback, sharing a membership table and storage.</summary>
public sealed class InProcessClusterTests
{
    private static Task<TestCluster> StartAsync(int silos) =>
        TestCluster.StartClusterAsync(silos, silo => silo.AddGrains(typeof(InProcessClusterTests).Assembly),
            services => services.AddSingleton<OrleansIm.Tests.Runtime.LifecycleLog>().AddSingleton(new OrleansIm.Tests.Runtime.PublisherSettings()));

    private static string SiloIdOf(TestCluster cluster, int silo) => cluster.ServicesOf(silo).GetRequiredService<IOptions<SiloOptions>>().Value.SiloId;

    private static string OwnerId(TestCluster cluster, GrainId grain)
    {
        var owner = cluster.OwnerOf(grain);
        return cluster.LiveSilos.Select(i => (i, address: cluster.AddressOf(i))).Single(s => s.address == owner).i is var index ? SiloIdOf(cluster, index) : "";
    }

    private static GrainId Id(string key) => new("placed", key);

    [Fact]
    public async Task Calls_from_any_silo_run_on_the_owner()
    {
        await using var cluster = await StartAsync(3);
        var hosts = new HashSet<string>();
        for (var i = 0; i < 60; i++)
        {
            var key = $"k{i}";
            var where = await cluster.GrainFactoryOf(i % 3).GetGrain<IPlacedGrain>(key).WhereAmI();
            Assert.Equal(OwnerId(cluster, Id(key)), where);
            // The same answer whichever silo asks: one activation per grain in the cluster.
            Assert.Equal(where, await cluster.GrainFactoryOf((i + 1) % 3).GetGrain<IPlacedGrain>(key).WhereAmI());
            hosts.Add(where);
        }
        Assert.Equal(3, hosts.Count);
    }

    [Fact]
    public async Task A_call_sent_to_a_non_owner_is_forwarded()
    {
        await using var cluster = await StartAsync(3);
        var sender = cluster.SiloOf(0);
        var grain = Enumerable.Range(0, 100).Select(i => Id($"f{i}")).First(g => cluster.OwnerOf(g) != cluster.AddressOf(1) && cluster.OwnerOf(g) != cluster.AddressOf(0));
        var metadata = sender.Interfaces.Get(typeof(IPlacedGrain));
        var method = metadata.Methods.Single(m => m.Name == nameof(IPlacedGrain.WhereAmI));
        var request = new Message
        {
            Id = 9_000_000_000,
            Direction = MessageDirection.Request,
            Target = grain,
            InterfaceName = metadata.Name,
            MethodIndex = method.Index,
            SenderId = sender.Options.SiloId,
            DeadlineTicks = DateTime.UtcNow.AddSeconds(10).Ticks,
            Body = sender.Serializer.SerializeArguments(method, []),
        };
        var answer = sender.Callbacks.Register(request, method, TimeSpan.FromSeconds(10));

        // Deliberately to silo 1, which does not own the grain: it must pass it on to the owner.
        sender.Cluster!.SendTo(cluster.AddressOf(1), request);
        Assert.Equal(OwnerId(cluster, grain), (string?)await answer.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_killed_silos_grains_reactivate_on_survivors_with_their_state()
    {
        await using var cluster = await StartAsync(3);
        var victim = SiloIdOf(cluster, 2);
        var keys = Enumerable.Range(0, 60).Select(i => $"s{i}").Where(k => OwnerId(cluster, Id(k)) == victim).Take(5).ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var (value, silo) = await cluster.GrainFactoryOf(0).GetGrain<IPlacedGrain>(key).Increment();
            Assert.Equal((1, victim), (value, silo));
        }

        await cluster.KillSiloAsync(2);
        await cluster.WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(20));

        foreach (var key in keys)
        {
            // Until every view has dropped the dead silo a call may fail fast; after that it lands on a survivor.
            (int Value, string Silo) result = default;
            await Eventually.True(async () =>
            {
                try { result = await cluster.GrainFactoryOf(0).GetGrain<IPlacedGrain>(key).Increment(); return true; }
                catch (SiloUnavailableException) { return false; }
            }, TimeSpan.FromSeconds(20));
            Assert.Equal(2, result.Value); // the write acknowledged before the crash survived
            Assert.NotEqual(victim, result.Silo);
            Assert.Equal(OwnerId(cluster, Id(key)), result.Silo);
        }
    }

    [Fact]
    public async Task A_joining_silo_takes_over_part_of_the_ring()
    {
        await using var cluster = await StartAsync(2);
        var keys = Enumerable.Range(0, 90).Select(i => $"j{i}").ToList();
        foreach (var key in keys) await cluster.GrainFactoryOf(0).GetGrain<IPlacedGrain>(key).Increment();

        var added = await cluster.StartSiloAsync();
        await cluster.WaitForActiveSilosAsync(3);
        var newcomer = SiloIdOf(cluster, added);
        var moved = keys.Where(k => OwnerId(cluster, Id(k)) == newcomer).ToList();
        Assert.InRange(moved.Count, 10, 60);

        foreach (var key in keys)
        {
            var (value, silo) = await cluster.GrainFactoryOf(1).GetGrain<IPlacedGrain>(key).Increment();
            Assert.Equal(2, value);
            Assert.Equal(OwnerId(cluster, Id(key)), silo);
        }
        // The old silos let go of what they no longer own.
        await Eventually.True(() => moved.All(k => !cluster.SiloOf(0).Catalog.TryGetActivation(Id(k), out _) && !cluster.SiloOf(1).Catalog.TryGetActivation(Id(k), out _)));
    }

    [Fact]
    public async Task A_graceful_stop_under_traffic_fails_no_call()
    {
        await using var cluster = await StartAsync(3);
        var keys = Enumerable.Range(0, 30).Select(i => $"g{i}").ToList();
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var calls = 0;
        var traffic = Task.Run(async () =>
        {
            var expected = keys.ToDictionary(k => k, _ => 0);
            while (!stop.IsCancellationRequested)
            {
                foreach (var key in keys)
                {
                    try
                    {
                        var (value, _) = await cluster.GrainFactoryOf(0).GetGrain<IPlacedGrain>(key).Increment();
                        expected[key]++;
                        Assert.Equal(expected[key], value); // no lost or duplicated write
                        Interlocked.Increment(ref calls);
                    }
                    catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        });

        await Eventually.True(() => Volatile.Read(ref calls) > 60);
        await cluster.StopSiloAsync(2);
        await cluster.WaitForActiveSilosAsync(2);
        var after = Volatile.Read(ref calls);
        await Eventually.True(() => Volatile.Read(ref calls) > after + 60);
        stop.Cancel();
        await traffic;
        Assert.Equal(0, failures);
    }
}
