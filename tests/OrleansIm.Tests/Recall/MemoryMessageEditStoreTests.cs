using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Recall;

public sealed class MemoryMessageEditStoreTests : MessageEditStoreContractTests
{
    protected override Task<IMessageStore> CreateStoreAsync() => Task.FromResult<IMessageStore>(new MemoryMessageStore());
}
