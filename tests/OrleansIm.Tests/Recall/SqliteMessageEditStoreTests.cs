using OrleansIm.Grains.Storage;
using OrleansIm.Tests.Storage;

namespace OrleansIm.Tests.Recall;

public sealed class SqliteMessageEditStoreTests : MessageEditStoreContractTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<IMessageStore> CreateStoreAsync() => Task.FromResult<IMessageStore>(new SqliteMessageStore(_db.Database));

    public override async Task DisposeAsync() => await _db.DisposeAsync();
}
