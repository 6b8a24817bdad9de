using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class SqliteMessageStoreTests : MessageStoreContractTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<IMessageStore> CreateStoreAsync() => Task.FromResult<IMessageStore>(new SqliteMessageStore(_db.Database));

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Acked_appends_survive_reopening_the_database()
    {
        var acked = await Task.WhenAll(Enumerable.Range(1, 50).Select(seq => Store.AppendAsync(Message(seq, clientMsgId: $"cm{seq}"))));

        Store = new SqliteMessageStore(await _db.ReopenAsync());

        Assert.Equal(50, await Store.CountAsync(Conv));
        Assert.Equal(acked.Select(a => a.Stored).OrderBy(m => m.Seq), await Store.GetAfterAsync(Conv, 0, 100));
        // Idempotency survives too: the unique index is on disk, not in memory.
        Assert.True((await Store.AppendAsync(Message(51, clientMsgId: "cm7"))).Duplicate);
    }
}
