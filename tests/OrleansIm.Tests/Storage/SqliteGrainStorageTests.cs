using OrleansIm.Runtime.Storage;
using OrleansIm.Runtime.Storage.Sqlite;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class SqliteGrainStorageTests : GrainStorageContractTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(new SqliteGrainStorage(_db.Database));

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Written_state_survives_reopening_the_database()
    {
        var written = await WriteNewAsync(7, "durable");

        Storage = new SqliteGrainStorage(await _db.ReopenAsync());

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

        Storage = new SqliteGrainStorage(await _db.ReopenAsync());
        var third = await ReadAsync();
        await Storage.WriteStateAsync(StateName, Grain, third);

        Assert.True(long.Parse(second.ETag!) > firstETag);
        Assert.True(long.Parse(third.ETag!) > long.Parse(second.ETag!));
    }
}
