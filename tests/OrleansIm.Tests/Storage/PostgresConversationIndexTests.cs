using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class PostgresConversationIndexTests : ConversationIndexContractTests
{
    private PostgresTestSchema _db = null!;

    protected override async Task<IConversationIndex> CreateIndexAsync()
    {
        _db = await PostgresTestSchema.CreateAsync();
        return new PostgresConversationIndex(_db.Database);
    }

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Rows_survive_reopening_the_database()
    {
        Index = new PostgresConversationIndex(await _db.ReopenAsync());

        Assert.Equal(["c1", "c2", "c3", "c4"], Ids(await Query()));
    }

    [Fact]
    public async Task Ids_compare_and_sort_bytewise_whatever_the_database_locale()
    {
        // In most locales "B" sorts after "a"; bytewise (SQLite BINARY, ordinal) it sorts before.
        await Index.UpsertAsync(Row("a", 1, "x", 100, null));
        await Index.UpsertAsync(Row("B", 1, "x", 100, null));

        Assert.Equal(["B", "a", "c1"], Ids(await Query(F("ctime", "=", "100"))));
        Assert.Equal(["c1", "c2", "c3", "c4"], Ids(await Query(F("conv_id", ">", "a"))));
    }
}
