using OrleansIm.Runtime.Membership;
using Xunit;

namespace OrleansIm.Tests.Membership;

/// <summary>The contract of <see cref="IMembershipTable"/>; every provider runs this whole suite.</summary>
public abstract class MembershipTableConformanceTests
{
    protected abstract Task<IMembershipTable> CreateTableAsync();

    private static MembershipEntry Entry(int port, SiloStatus status = SiloStatus.Joining, long generation = 1) =>
        new(new SiloAddress("127.0.0.1", port, generation), $"silo-{port}", status,
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), []);

    [Fact]
    public async Task New_table_is_empty_at_version_zero()
    {
        var table = await CreateTableAsync();
        var data = await table.ReadAllAsync();
        Assert.Empty(data.Rows);
        Assert.Equal(0, data.Version.Version);
    }

    [Fact]
    public async Task Insert_bumps_the_version_and_round_trips_every_field()
    {
        var table = await CreateTableAsync();
        var vote = new SuspectVote(new SiloAddress("10.0.0.9", 11111, 7), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_000));
        var entry = Entry(11111) with { Suspicions = [vote] };
        Assert.True(await table.InsertRowAsync(entry, new TableVersion(0)));

        var data = await table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        var row = Assert.Single(data.Rows);
        Assert.Equal(entry.Address, row.Entry.Address);
        Assert.Equal(entry.SiloName, row.Entry.SiloName);
        Assert.Equal(entry.Status, row.Entry.Status);
        Assert.Equal(entry.StartTime, row.Entry.StartTime);
        Assert.Equal(entry.IAmAliveTime, row.Entry.IAmAliveTime);
        Assert.Equal([vote], row.Entry.Suspicions);
        Assert.False(string.IsNullOrEmpty(row.ETag));
    }

    [Fact]
    public async Task Insert_with_a_stale_version_or_existing_address_fails_and_changes_nothing()
    {
        var table = await CreateTableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1), new TableVersion(0)));
        Assert.False(await table.InsertRowAsync(Entry(2), new TableVersion(0)));
        Assert.False(await table.InsertRowAsync(Entry(1), new TableVersion(1)));
        var data = await table.ReadAllAsync();
        Assert.Single(data.Rows);
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task Update_needs_both_the_row_etag_and_the_table_version()
    {
        var table = await CreateTableAsync();
        await table.InsertRowAsync(Entry(1), new TableVersion(0));
        await table.InsertRowAsync(Entry(2), new TableVersion(1));
        var data = await table.ReadAllAsync();
        var (entry, etag) = data.Find(Entry(1).Address)!.Value;

        Assert.False(await table.UpdateRowAsync(entry with { Status = SiloStatus.Active }, etag, new TableVersion(1)));
        Assert.False(await table.UpdateRowAsync(entry with { Status = SiloStatus.Active }, "not-the-etag", data.Version));
        Assert.True(await table.UpdateRowAsync(entry with { Status = SiloStatus.Active }, etag, data.Version));
        // The same ETag cannot be used twice.
        Assert.False(await table.UpdateRowAsync(entry with { Status = SiloStatus.Dead }, etag, new TableVersion(3)));

        var after = await table.ReadAllAsync();
        Assert.Equal(3, after.Version.Version);
        Assert.Equal(SiloStatus.Active, after.Find(entry.Address)!.Value.Entry.Status);
    }

    [Fact]
    public async Task Concurrent_updates_from_the_same_view_have_exactly_one_winner()
    {
        var table = await CreateTableAsync();
        await table.InsertRowAsync(Entry(1, SiloStatus.Active), new TableVersion(0));
        var data = await table.ReadAllAsync();
        var (entry, etag) = data.Rows[0];
        var voters = Enumerable.Range(0, 8).Select(i =>
            table.UpdateRowAsync(entry with { Suspicions = [new SuspectVote(new SiloAddress("127.0.0.1", 100 + i, 1), DateTimeOffset.UtcNow)] }, etag, data.Version));
        var results = await Task.WhenAll(voters);
        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(2, (await table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task I_am_alive_updates_without_bumping_the_version_or_conflicting()
    {
        var table = await CreateTableAsync();
        await table.InsertRowAsync(Entry(1, SiloStatus.Active), new TableVersion(0));
        var before = await table.ReadAllAsync();
        var alive = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        await table.UpdateIAmAliveAsync(Entry(1).Address, alive);

        var after = await table.ReadAllAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(alive, after.Rows[0].Entry.IAmAliveTime);
        // A vote prepared from the earlier read still applies: heartbeats never invalidate it.
        var (entry, etag) = before.Rows[0];
        Assert.True(await table.UpdateRowAsync(entry with { Status = SiloStatus.Dead, IAmAliveTime = alive }, etag, after.Version));
    }

    [Fact]
    public async Task Cleanup_removes_only_old_dead_rows()
    {
        var table = await CreateTableAsync();
        var old = DateTimeOffset.FromUnixTimeMilliseconds(1_600_000_000_000);
        await table.InsertRowAsync(Entry(1, SiloStatus.Dead) with { IAmAliveTime = old }, new TableVersion(0));
        await table.InsertRowAsync(Entry(2, SiloStatus.Active) with { IAmAliveTime = old }, new TableVersion(1));
        await table.InsertRowAsync(Entry(3, SiloStatus.Dead), new TableVersion(2));
        await table.CleanupDefunctEntriesAsync(DateTimeOffset.FromUnixTimeMilliseconds(1_650_000_000_000));
        var ports = (await table.ReadAllAsync()).Rows.Select(r => r.Entry.Address.Port).Order().ToList();
        Assert.Equal([2, 3], ports);
    }

    [Fact]
    public async Task A_restarted_silo_is_a_new_row()
    {
        var table = await CreateTableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1, generation: 1), new TableVersion(0)));
        Assert.True(await table.InsertRowAsync(Entry(1, generation: 2), new TableVersion(1)));
        Assert.Equal(2, (await table.ReadAllAsync()).Rows.Count);
    }
}

public sealed class InMemoryMembershipTableTests : MembershipTableConformanceTests
{
    protected override Task<IMembershipTable> CreateTableAsync() => Task.FromResult<IMembershipTable>(new InMemoryMembershipTable());
}

public sealed class PostgresMembershipTableTests : MembershipTableConformanceTests
{
    protected override async Task<IMembershipTable> CreateTableAsync()
    {
        var table = new PostgresMembershipTable(PostgresTestDatabase.ConnectionString, $"test-{Guid.NewGuid():N}");
        await table.InitializeAsync();
        return table;
    }
}
