using Orleans.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>The extra contract of persistent providers: what was written survives a restart, and ETags never repeat.</summary>
public abstract class DurableGrainStorageContractTests : GrainStorageContractTests
{
    /// <summary>Closes the provider's database and opens a new provider on the same data, as a restarted process would.</summary>
    protected abstract Task<IGrainStorage> ReopenAsync();

    [Fact]
    public async Task Written_state_survives_reopening_the_database()
    {
        var written = await WriteNewAsync(7, "durable");

        Storage = await ReopenAsync();

        var read = await ReadAsync();
        Assert.True(read.RecordExists);
        Assert.Equal(7, read.State!.Count);
        Assert.Equal("durable", read.State!.Name);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Fact]
    public async Task Etags_keep_increasing_across_clear_and_reopen()
    {
        var first = await WriteNewAsync(1);
        var firstETag = long.Parse(first.ETag!);
        await Storage.ClearStateAsync(StateName, Grain, first);
        var second = await WriteNewAsync(2);

        Storage = await ReopenAsync();
        var third = await ReadAsync();
        await Storage.WriteStateAsync(StateName, Grain, third);

        Assert.True(long.Parse(second.ETag!) > firstETag);
        Assert.True(long.Parse(third.ETag!) > long.Parse(second.ETag!));
    }
}
