using Orleans.Storage;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class SqliteGrainStorageTests : DurableGrainStorageContractTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(new SqliteGrainStorage(_db.Database));

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    protected override async Task<IGrainStorage> ReopenAsync() => new SqliteGrainStorage(await _db.ReopenAsync());
}
