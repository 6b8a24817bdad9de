using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

public sealed class MemoryUserIndexTests : UserIndexContractTests
{
    protected override Task<IUserIndex> CreateIndexAsync() => Task.FromResult<IUserIndex>(new MemoryUserIndex());
}
