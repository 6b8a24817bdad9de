using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class SqliteUserIndexTests : UserIndexContractTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<IUserIndex> CreateIndexAsync() => Task.FromResult<IUserIndex>(new SqliteUserIndex(_db.Database));

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Users_survive_reopening_the_database()
    {
        Index = new SqliteUserIndex(await _db.ReopenAsync());

        Assert.Equal(["alice"], await Index.FindExistingAsync(["alice", "carol"]));
    }
}
