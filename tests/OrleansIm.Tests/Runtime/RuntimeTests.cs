using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Runtime;
using OrleansIm.Runtime.Hosting;
using OrleansIm.Runtime.Storage;
using OrleansIm.Runtime.Testing;
using Xunit;

namespace OrleansIm.Tests.Runtime;

public sealed class RuntimeTests
{
    private static Task<TestCluster> StartAsync(Action<SiloOptions>? options = null, PublisherSettings? publisher = null) =>
        TestCluster.StartAsync(
            silo =>
            {
                silo.AddGrains(typeof(RuntimeTests).Assembly);
                if (options is not null) silo.Configure(options);
            },
            services =>
            {
                services.AddSingleton<LifecycleLog>();
                services.AddSingleton(publisher ?? new PublisherSettings());
            });

    [Fact]
    public async Task Calls_to_one_activation_run_one_at_a_time_in_arrival_order()
    {
        await using var cluster = await StartAsync();
        var grain = cluster.GrainFactory.GetGrain<IProbeGrain>("turns");
        var calls = Enumerable.Range(0, 20).Select(i => grain.Enter(i, 5)).ToArray();
        var maxConcurrency = await Task.WhenAll(calls);

        Assert.All(maxConcurrency, m => Assert.Equal(1, m));
        Assert.Equal(Enumerable.Range(0, 20).ToList(), await grain.GetOrder());
    }

    [Fact]
    public async Task Different_grains_run_in_parallel()
    {
        await using var cluster = await StartAsync();
        var started = DateTime.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => cluster.GrainFactory.GetGrain<IProbeGrain>($"p{i}").Enter(0, 300)));
        // Eight 300 ms turns on eight activations overlap; serially they would take 2.4 s.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Arguments_and_results_are_copies()
    {
        await using var cluster = await StartAsync();
        var grain = cluster.GrainFactory.GetGrain<IProbeGrain>("copies");
        var mine = new List<string> { "a" };
        await grain.Keep(mine);
        mine.Add("changed by caller");
        Assert.Equal(["a"], await grain.GetKept());

        var returned = await grain.GetKeptLive();
        returned.Add("changed after return");
        Assert.Equal(["a"], await grain.GetKept());
        Assert.NotSame(mine, await grain.Echo(mine));
    }

    [Fact]
    public async Task Value_tuples_cross_the_boundary()
    {
        await using var cluster = await StartAsync();
        Assert.Equal((42, "hi!"), await cluster.GrainFactory.GetGrain<IProbeGrain>("tuple").Pair(21, "hi"));
    }

    [Fact]
    public async Task Exceptions_cross_the_boundary_with_type_and_code()
    {
        await using var cluster = await StartAsync();
        var grain = cluster.GrainFactory.GetGrain<IProbeGrain>("errors");
        var coded = await Assert.ThrowsAsync<CodedTestException>(() => grain.Fail(4003, "not a member"));
        Assert.Equal(4003, coded.Code);
        Assert.Equal("not a member", coded.Message);

        var opaque = await Assert.ThrowsAsync<GrainCallException>(() => grain.FailUnknown("boom"));
        Assert.Contains("OpaqueTestException", opaque.RemoteType);
        Assert.Contains("boom", opaque.Message);

        // The activation survives a failed call.
        Assert.Equal(1, await grain.Enter(1, 0));
    }

    [Fact]
    public async Task One_way_calls_are_delivered_in_order()
    {
        await using var cluster = await StartAsync();
        var grain = cluster.GrainFactory.GetGrain<IProbeGrain>("oneway");
        for (var i = 0; i < 50; i++) await grain.Record(i);
        await Eventually.True(async () => (await grain.GetOrder()).Count == 50);
        Assert.Equal(Enumerable.Range(0, 50).ToList(), await grain.GetOrder());
    }

    [Fact]
    public async Task State_is_persisted_and_reloaded_after_deactivation()
    {
        await using var cluster = await StartAsync(o => o.CollectionAge = TimeSpan.FromMilliseconds(50));
        var log = cluster.Services.GetRequiredService<LifecycleLog>();
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>("persist");
        Assert.Equal(1, await grain.IncrementAndWrite());
        Assert.Equal(2, await grain.IncrementAndWrite());

        await Eventually.True(() => { cluster.Silo.Catalog.CollectIdle(); return log.DeactivationsOf("persist").Count == 1; });
        Assert.Equal([DeactivationReason.Idle], log.DeactivationsOf("persist"));

        Assert.Equal(2, await grain.Get());
        Assert.Equal(2, await grain.GetActivationNumber());
    }

    [Fact]
    public async Task Stale_etag_throws_and_the_next_call_reloads()
    {
        await using var cluster = await StartAsync();
        var storage = cluster.Services.GetRequiredService<IGrainStorage>();
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>("etag");
        Assert.Equal(1, await grain.IncrementAndWrite());

        // Someone else (a duplicate activation elsewhere) writes behind this activation's back.
        var outside = new GrainState<CounterState>();
        var id = new GrainId("counter", "etag");
        await storage.ReadStateAsync("counter", id, outside);
        outside.State.Value = 41;
        await storage.WriteStateAsync("counter", id, outside);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.IncrementAndWrite());
        // The activation was dropped: the next call reads 41 from storage and writes on top of it.
        Assert.Equal(42, await grain.IncrementAndWrite());
        var log = cluster.Services.GetRequiredService<LifecycleLog>();
        Assert.Contains(DeactivationReason.InconsistentState, log.DeactivationsOf("etag"));
    }

    [Fact]
    public async Task Call_cycle_fails_with_a_timeout_instead_of_hanging()
    {
        await using var cluster = await StartAsync(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(500));
        var a = cluster.GrainFactory.GetGrain<ICycleGrain>("a");
        var error = await Assert.ThrowsAsync<TimeoutException>(() => a.CallPartner("b")).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("did not arrive on time", error.Message);
        // Both grains recover once the cycle has timed out.
        await Eventually.True(async () => { try { await a.Noop(); return true; } catch (TimeoutException) { return false; } });
    }

    [Fact]
    public async Task Observer_receives_notifications_and_deleted_observer_is_dropped()
    {
        await using var cluster = await StartAsync();
        var received = new List<string>();
        var observer = new GreetingObserver(received);
        var reference = cluster.GrainFactory.CreateObjectReference<IGreetingObserver>(observer);
        var publisher = cluster.GrainFactory.GetGrain<IPublisherGrain>("pub");

        await publisher.Subscribe(reference);
        await publisher.Publish("one");
        await publisher.Publish("two");
        await Eventually.True(() => { lock (received) return received.Count == 2; });
        Assert.Equal(["one", "two"], received);

        cluster.GrainFactory.DeleteObjectReference<IGreetingObserver>(observer);
        await publisher.Publish("three");
        await Eventually.True(async () => await publisher.SubscriberCount() == 0, because: "a failed notification drops the observer");
        Assert.Equal(2, received.Count);
    }

    [Fact]
    public async Task Observer_subscription_expires_unless_refreshed()
    {
        await using var cluster = await StartAsync(publisher: new PublisherSettings { Expiry = TimeSpan.FromMilliseconds(300) });
        var reference = cluster.GrainFactory.CreateObjectReference<IGreetingObserver>(new GreetingObserver([]));
        var publisher = cluster.GrainFactory.GetGrain<IPublisherGrain>("expiring");
        await publisher.Subscribe(reference);
        Assert.Equal(1, await publisher.SubscriberCount());
        await Eventually.True(async () => await publisher.SubscriberCount() == 0);
        await publisher.Subscribe(reference);
        Assert.Equal(1, await publisher.SubscriberCount());
    }

    [Fact]
    public async Task Timers_tick_as_turns_and_never_overlap_calls()
    {
        await using var cluster = await StartAsync();
        var grain = cluster.GrainFactory.GetGrain<IProbeGrain>("timer");
        await grain.StartTimer(10);
        var calls = Enumerable.Range(0, 30).Select(i => grain.Enter(i, 3)).ToArray();
        await Task.WhenAll(calls);
        await Eventually.True(async () => await grain.GetTimerTicks() >= 5);
        Assert.Equal(1, await grain.GetMaxConcurrency());
    }

    [Fact]
    public async Task Shutdown_deactivates_every_activation()
    {
        var cluster = await StartAsync();
        var log = cluster.Services.GetRequiredService<LifecycleLog>();
        await cluster.GrainFactory.GetGrain<ICounterGrain>("s1").IncrementAndWrite();
        await cluster.GrainFactory.GetGrain<ICounterGrain>("s2").Get();
        await cluster.DisposeAsync();
        Assert.Equal([DeactivationReason.ShuttingDown], log.DeactivationsOf("s1"));
        Assert.Equal([DeactivationReason.ShuttingDown], log.DeactivationsOf("s2"));
    }

    [Fact]
    public async Task Unknown_grain_type_fails_clearly()
    {
        await using var cluster = await TestCluster.StartAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.GrainFactory.GetGrain<IProbeGrain>("x").GetOrder());
        Assert.Contains("No grain class", error.Message);
    }

    private sealed class GreetingObserver(List<string> received) : IGreetingObserver
    {
        public Task OnGreeting(string text)
        {
            lock (received) received.Add(text);
            return Task.CompletedTask;
        }
    }
}
