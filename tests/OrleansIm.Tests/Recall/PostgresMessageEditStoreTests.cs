using OrleansIm.Grains.Storage;
using OrleansIm.Tests.Storage;

namespace OrleansIm.Tests.Recall;

public sealed class PostgresMessageEditStoreTests : MessageEditStoreContractTests
{
    private PostgresTestSchema _db = null!;

    protected override async Task<IMessageStore> CreateStoreAsync()
    {
        _db = await PostgresTestSchema.CreateAsync();
        return new PostgresMessageStore(_db.Database);
    }

    public override async Task DisposeAsync() => await _db.DisposeAsync();
}
