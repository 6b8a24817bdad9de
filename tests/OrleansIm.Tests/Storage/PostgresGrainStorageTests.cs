using OrleansIm.Runtime;
using OrleansIm.Runtime.Storage;
using OrleansIm.Runtime.Storage.PostgreSql;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class PostgresGrainStorageTests : GrainStorageContractTests
{
    private PostgresTestSchema _db = null!;

    protected override async Task<IGrainStorage> CreateStorageAsync()
    {
        _db = await PostgresTestSchema.CreateAsync();
        return new PostgresGrainStorage(_db.Database);
    }

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Written_state_survives_reopening_the_database()
    {
        var written = await WriteNewAsync(7, "durable");

        Storage = new PostgresGrainStorage(await _db.ReopenAsync());

        var read = await ReadAsync();
        Assert.True(read.RecordExists);
        Assert.Equal(7, read.State.Count);
        Assert.Equal("durable", read.State.Name);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Fact]
    public async Task Etags_keep_increasing_across_clear_and_reopen()
    {
        var first = await WriteNewAsync(1);
        var firstETag = long.Parse(first.ETag!);
        await Storage.ClearStateAsync(StateName, Grain, first);
        var second = await WriteNewAsync(2);

        Storage = new PostgresGrainStorage(await _db.ReopenAsync());
        var third = await ReadAsync();
        await Storage.WriteStateAsync(StateName, Grain, third);

        Assert.True(long.Parse(second.ETag!) > firstETag);
        Assert.True(long.Parse(third.ETag!) > long.Parse(second.ETag!));
    }

    [Fact]
    public async Task State_with_a_nul_character_round_trips()
    {
        var state = new GrainState<CounterState> { State = new CounterState { Name = "a\0b" } };
        await Storage.WriteStateAsync(StateName, Grain, state);

        Assert.Equal("a\0b", (await ReadAsync()).State.Name);
    }

    [Fact]
    public async Task Two_silos_on_one_database_see_each_others_writes_and_etags()
    {
        // A second PostgresDatabase is what a second silo has: its own pool and writer loops.
        await using var other = new PostgresDatabase(_db.ConnectionString);
        var otherStorage = new PostgresGrainStorage(other);
        var mine = await WriteNewAsync(1);

        var theirs = new GrainState<CounterState>();
        await otherStorage.ReadStateAsync(StateName, Grain, theirs);
        theirs.State.Count = 2;
        await otherStorage.WriteStateAsync(StateName, Grain, theirs);

        mine.State.Count = 3;
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, Grain, mine));
        Assert.Equal(2, (await ReadAsync()).State.Count);
    }
}
