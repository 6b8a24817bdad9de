using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class PostgresUserIndexTests : UserIndexContractTests
{
    private PostgresTestSchema _db = null!;

    protected override async Task<IUserIndex> CreateIndexAsync()
    {
        _db = await PostgresTestSchema.CreateAsync();
        return new PostgresUserIndex(_db.Database);
    }

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Users_survive_reopening_the_database()
    {
        Index = new PostgresUserIndex(await _db.ReopenAsync());

        Assert.Equal(["alice"], await Index.FindExistingAsync(["alice", "carol"]));
    }
}
