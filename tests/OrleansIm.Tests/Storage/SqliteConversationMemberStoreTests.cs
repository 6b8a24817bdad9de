using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class SqliteConversationMemberStoreTests : ConversationMemberStoreContractTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<IConversationMemberStore> CreateStoreAsync() =>
        Task.FromResult<IConversationMemberStore>(new SqliteConversationMemberStore(_db.Database));

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Members_survive_reopening_the_database()
    {
        await Store.AddAsync("conv", ["bob"]);

        Store = new SqliteConversationMemberStore(await _db.ReopenAsync());

        Assert.Equal(["owner", "carol", "alice", "bob"], await Store.LoadAsync("conv"));
    }
}
