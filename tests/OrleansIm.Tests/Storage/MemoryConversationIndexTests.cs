using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

public sealed class MemoryConversationIndexTests : ConversationIndexContractTests
{
    protected override Task<IConversationIndex> CreateIndexAsync() => Task.FromResult<IConversationIndex>(new MemoryConversationIndex());
}
