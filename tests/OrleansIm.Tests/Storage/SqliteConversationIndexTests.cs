using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class SqliteConversationIndexTests : ConversationIndexContractTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<IConversationIndex> CreateIndexAsync() =>
        Task.FromResult<IConversationIndex>(new SqliteConversationIndex(_db.Database));

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Rows_survive_reopening_the_database()
    {
        Index = new SqliteConversationIndex(await _db.ReopenAsync());

        Assert.Equal(["c1", "c2", "c3", "c4"], Ids(await Query()));
    }
}
