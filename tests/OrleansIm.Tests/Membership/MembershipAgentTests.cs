using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansIm.Runtime.Membership;
using Xunit;

namespace OrleansIm.Tests.Membership;

/// <summary>
/// The membership protocol over a real table. "Reachability" is a shared set the probe consults, so a test
/// can make a silo stop answering the way a killed process would.
/// </summary>
public abstract class MembershipAgentTests
{
    private static readonly MembershipOptions Fast = new()
    {
        IAmAlivePeriod = TimeSpan.FromMilliseconds(100),
        TableRefreshPeriod = TimeSpan.FromMilliseconds(50),
        ProbePeriod = TimeSpan.FromMilliseconds(50),
        ProbeTimeout = TimeSpan.FromMilliseconds(200),
        MissedProbesLimit = 2,
        NewSiloGracePeriod = TimeSpan.Zero,
    };

    private readonly ConcurrentDictionary<SiloAddress, bool> _reachable = new();

    protected abstract Task<IMembershipTable> CreateTableAsync();

    private MembershipAgent NewAgent(IMembershipTable table, int port, MembershipOptions? options = null)
    {
        var address = new SiloAddress("127.0.0.1", port, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _reachable[address] = true;
        return new MembershipAgent(address, $"silo-{port}", table, options ?? Fast,
            (target, _) => Task.FromResult(_reachable.GetValueOrDefault(target)), NullLogger.Instance);
    }

    [Fact]
    public async Task Silos_join_and_all_see_each_other_active()
    {
        var table = await CreateTableAsync();
        await using var a = NewAgent(table, 1);
        await using var b = NewAgent(table, 2);
        await using var c = NewAgent(table, 3);
        await Task.WhenAll(a.JoinAsync(), b.JoinAsync(), c.JoinAsync());

        foreach (var agent in new[] { a, b, c })
        {
            await Eventually.True(() => agent.View.ActiveSilos.Count == 3, because: $"{agent.Self} sees 3 active silos");
            Assert.Equal(SiloStatus.Active, agent.Status);
        }
        // Same view → same owner everywhere.
        var grain = new OrleansIm.Runtime.GrainId("user", "alice");
        Assert.Equal(a.View.Ring.GetOwner(grain), c.View.Ring.GetOwner(grain));
    }

    [Fact]
    public async Task An_unreachable_silo_is_voted_dead_and_leaves_the_ring()
    {
        var table = await CreateTableAsync();
        await using var a = NewAgent(table, 1);
        await using var b = NewAgent(table, 2);
        var c = NewAgent(table, 3);
        await Task.WhenAll(a.JoinAsync(), b.JoinAsync(), c.JoinAsync());
        await Eventually.True(() => a.View.ActiveSilos.Count == 3 && b.View.ActiveSilos.Count == 3);

        // c dies without leaving (kill -9): it stops answering probes and stops its own loops.
        _reachable[c.Self] = false;
        await c.DisposeAsync();

        await Eventually.True(() => a.View.StatusOf(c.Self) == SiloStatus.Dead && b.View.StatusOf(c.Self) == SiloStatus.Dead,
            TimeSpan.FromSeconds(15), "the survivors declare c dead");
        Assert.Equal(2, a.View.ActiveSilos.Count);
        var row = (await table.ReadAllAsync()).Find(c.Self)!.Value.Entry;
        Assert.NotEmpty(row.Suspicions);
    }

    [Fact]
    public async Task A_silo_that_finds_itself_declared_dead_stops()
    {
        var table = await CreateTableAsync();
        await using var a = NewAgent(table, 1);
        await using var b = NewAgent(table, 2);
        await using var c = NewAgent(table, 3);
        var declared = new TaskCompletionSource();
        c.DeclaredDead += () => declared.TrySetResult();
        await Task.WhenAll(a.JoinAsync(), b.JoinAsync(), c.JoinAsync());

        // c is partitioned away from the others (they cannot probe it) but still reads the table.
        _reachable[c.Self] = false;
        await declared.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(SiloStatus.Dead, c.Status);
    }

    [Fact]
    public async Task A_new_silo_is_not_voted_dead_during_its_grace_period()
    {
        var table = await CreateTableAsync();
        var graceful = new MembershipOptions
        {
            IAmAlivePeriod = Fast.IAmAlivePeriod, TableRefreshPeriod = Fast.TableRefreshPeriod, ProbePeriod = Fast.ProbePeriod,
            ProbeTimeout = Fast.ProbeTimeout, MissedProbesLimit = Fast.MissedProbesLimit, NewSiloGracePeriod = TimeSpan.FromSeconds(2),
        };
        await using var a = NewAgent(table, 1, graceful);
        await using var b = NewAgent(table, 2, graceful);
        await Task.WhenAll(a.JoinAsync(), b.JoinAsync());
        await using var slow = NewAgent(table, 3, graceful);
        _reachable[slow.Self] = false; // a cold process that does not answer yet
        await slow.JoinAsync();
        var joined = DateTimeOffset.UtcNow;

        await Eventually.True(() => a.View.StatusOf(slow.Self) == SiloStatus.Dead, TimeSpan.FromSeconds(15));
        // Declared dead only after its grace period (and only because it never started answering).
        Assert.True(DateTimeOffset.UtcNow - joined >= TimeSpan.FromSeconds(1.9));
    }

    [Fact]
    public async Task Graceful_shutdown_goes_through_shutting_down_to_dead()
    {
        var table = await CreateTableAsync();
        await using var a = NewAgent(table, 1);
        await using var b = NewAgent(table, 2);
        await Task.WhenAll(a.JoinAsync(), b.JoinAsync());

        await b.BeginShutdownAsync();
        await Eventually.True(() => a.View.StatusOf(b.Self) == SiloStatus.ShuttingDown);
        Assert.DoesNotContain(b.Self, a.View.ActiveSilos); // no new placements on a leaving silo

        await b.LeaveAsync();
        await Eventually.True(() => a.View.StatusOf(b.Self) == SiloStatus.Dead);
        Assert.Equal([a.Self], a.View.ActiveSilos);
    }
}

public sealed class InMemoryMembershipAgentTests : MembershipAgentTests
{
    protected override Task<IMembershipTable> CreateTableAsync() => Task.FromResult<IMembershipTable>(new InMemoryMembershipTable());
}

public sealed class PostgresMembershipAgentTests : MembershipAgentTests
{
    protected override async Task<IMembershipTable> CreateTableAsync()
    {
        var table = new PostgresMembershipTable(PostgresTestDatabase.ConnectionString, $"agent-{Guid.NewGuid():N}");
        await table.InitializeAsync();
        return table;
    }
}
