using OrleansIm.Runtime;
using OrleansIm.Runtime.Storage;
using OrleansIm.Runtime.Storage.PostgreSql;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class PostgresGrainStorageTests : DurableGrainStorageContractTests
{
    private PostgresTestSchema _db = null!;

    protected override async Task<IGrainStorage> CreateStorageAsync()
    {
        _db = await PostgresTestSchema.CreateAsync();
        return new PostgresGrainStorage(_db.Database);
    }

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    protected override async Task<IGrainStorage> ReopenAsync() => new PostgresGrainStorage(await _db.ReopenAsync());

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
