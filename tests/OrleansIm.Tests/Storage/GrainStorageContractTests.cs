using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>The <see cref="IGrainStorage"/> contract; every provider runs it through a subclass.</summary>
public abstract class GrainStorageContractTests : IAsyncLifetime
{
    public sealed class CounterState
    {
        public int Count { get; set; }
        public string? Name { get; set; }
        public List<string> Items { get; set; } = [];
    }

    protected const string StateName = "state";
    protected static readonly GrainId Grain = GrainId.Create("counter", "a");

    protected IGrainStorage Storage { get; set; } = null!;

    protected abstract Task<IGrainStorage> CreateStorageAsync();

    public async Task InitializeAsync() => Storage = await CreateStorageAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected async Task<GrainState<CounterState>> ReadAsync(GrainId? grain = null, string stateName = StateName)
    {
        var state = new GrainState<CounterState>();
        await Storage.ReadStateAsync(stateName, grain ?? Grain, state);
        return state;
    }

    protected async Task<GrainState<CounterState>> WriteNewAsync(int count, string name = "n")
    {
        var state = new GrainState<CounterState> { State = new CounterState { Count = count, Name = name, Items = ["x"] } };
        await Storage.WriteStateAsync(StateName, Grain, state);
        return state;
    }

    [Fact]
    public async Task Read_of_missing_record_gives_new_state_and_no_etag()
    {
        var state = new GrainState<CounterState> { State = new CounterState { Count = 42 }, ETag = "7", RecordExists = true };

        await Storage.ReadStateAsync(StateName, Grain, state);

        Assert.Equal(0, state.State!.Count);
        Assert.Null(state.State!.Name);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task Write_then_read_returns_the_state_and_etag()
    {
        var written = await WriteNewAsync(5, "five");

        Assert.NotNull(written.ETag);
        Assert.True(written.RecordExists);
        var read = await ReadAsync();
        Assert.Equal(5, read.State!.Count);
        Assert.Equal("five", read.State!.Name);
        Assert.Equal(["x"], read.State!.Items);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Each_write_issues_a_new_etag()
    {
        var state = await WriteNewAsync(1);
        var first = state.ETag;

        state.State!.Count = 2;
        await Storage.WriteStateAsync(StateName, Grain, state);

        Assert.NotEqual(first, state.ETag);
        Assert.Equal(2, (await ReadAsync()).State!.Count);
    }

    [Fact]
    public async Task Reads_return_copies_not_the_stored_object()
    {
        var written = await WriteNewAsync(1);
        written.State!.Items.Add("mutated after write");

        var read = await ReadAsync();
        read.State!.Items.Add("mutated after read");

        Assert.Equal(["x"], (await ReadAsync()).State!.Items);
    }

    [Fact]
    public async Task Write_with_stale_etag_throws_and_changes_nothing()
    {
        await WriteNewAsync(1);
        var a = await ReadAsync();
        var b = await ReadAsync();
        a.State!.Count = 2;
        await Storage.WriteStateAsync(StateName, Grain, a);

        b.State!.Count = 3;
        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, Grain, b));

        Assert.Equal(a.ETag, ex.StoredEtag);
        Assert.Equal(b.ETag, ex.CurrentEtag);
        var read = await ReadAsync();
        Assert.Equal(2, read.State!.Count);
        Assert.Equal(a.ETag, read.ETag);
    }

    [Fact]
    public async Task Write_with_null_etag_over_existing_record_throws()
    {
        var existing = await WriteNewAsync(1);

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => WriteNewAsync(9));

        Assert.Equal(existing.ETag, ex.StoredEtag);
        Assert.Null(ex.CurrentEtag);
        Assert.Equal(1, (await ReadAsync()).State!.Count);
    }

    [Fact]
    public async Task Write_with_etag_but_no_record_throws()
    {
        var state = new GrainState<CounterState> { ETag = "12345" };

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, Grain, state));

        Assert.Null(ex.StoredEtag);
        Assert.False((await ReadAsync()).RecordExists);
    }

    [Fact]
    public async Task Concurrent_writers_with_the_same_etag_exactly_one_wins()
    {
        var initial = await WriteNewAsync(0);
        const int writers = 32;

        var attempts = Enumerable.Range(1, writers).Select(i => Task.Run(async () =>
        {
            var state = new GrainState<CounterState> { State = new CounterState { Count = i }, ETag = initial.ETag };
            try
            {
                await Storage.WriteStateAsync(StateName, Grain, state);
                return (Winner: i, state.ETag);
            }
            catch (InconsistentStateException)
            {
                return (Winner: 0, ETag: null);
            }
        })).ToList();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Winner != 0);
        var read = await ReadAsync();
        Assert.Equal(winner.Winner, read.State!.Count);
        Assert.Equal(winner.ETag, read.ETag);
    }

    [Fact]
    public async Task Clear_deletes_the_record()
    {
        var state = await WriteNewAsync(1);

        await Storage.ClearStateAsync(StateName, Grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Count);
        var read = await ReadAsync();
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task Clear_with_stale_etag_throws_and_keeps_the_record()
    {
        var stale = await WriteNewAsync(1);
        var fresh = await ReadAsync();
        fresh.State!.Count = 2;
        await Storage.WriteStateAsync(StateName, Grain, fresh);

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, Grain, stale));

        Assert.Equal(fresh.ETag, ex.StoredEtag);
        Assert.Equal(2, (await ReadAsync()).State!.Count);
    }

    [Fact]
    public async Task Clear_with_null_etag_of_existing_record_throws()
    {
        await WriteNewAsync(1);

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.ClearStateAsync(StateName, Grain, new GrainState<CounterState>()));

        Assert.True((await ReadAsync()).RecordExists);
    }

    [Fact]
    public async Task Etag_from_before_a_clear_cannot_overwrite_a_record_written_after_it()
    {
        var old = await WriteNewAsync(1);
        var clearer = await ReadAsync();
        await Storage.ClearStateAsync(StateName, Grain, clearer);
        var rewritten = await WriteNewAsync(2);

        old.State!.Count = 3;
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, Grain, old));

        Assert.NotEqual(old.ETag, rewritten.ETag);
        Assert.Equal(2, (await ReadAsync()).State!.Count);
    }

    [Fact]
    public async Task Records_are_keyed_by_state_name_grain_type_and_key()
    {
        await WriteNewAsync(1);

        Assert.False((await ReadAsync(GrainId.Create("counter", "b"))).RecordExists);
        Assert.False((await ReadAsync(GrainId.Create("other", "a"))).RecordExists);
        Assert.False((await ReadAsync(Grain, "other-state")).RecordExists);
        Assert.True((await ReadAsync()).RecordExists);
    }
}
