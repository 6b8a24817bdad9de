using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class PostgresConversationMemberStoreTests : ConversationMemberStoreContractTests
{
    private PostgresTestSchema _db = null!;

    protected override async Task<IConversationMemberStore> CreateStoreAsync()
    {
        _db = await PostgresTestSchema.CreateAsync();
        return new PostgresConversationMemberStore(_db.Database);
    }

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Members_survive_reopening_the_database()
    {
        await Store.AddAsync("conv", ["bob"]);

        Store = new PostgresConversationMemberStore(await _db.ReopenAsync());

        Assert.Equal(["owner", "carol", "alice", "bob"], await Store.LoadAsync("conv"));
    }
}
