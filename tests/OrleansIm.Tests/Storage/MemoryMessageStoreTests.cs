using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

public sealed class MemoryMessageStoreTests : MessageStoreContractTests
{
    protected override Task<IMessageStore> CreateStoreAsync() => Task.FromResult<IMessageStore>(new MemoryMessageStore());
}
