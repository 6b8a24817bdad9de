using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

public sealed class MemoryConversationMemberStoreTests : ConversationMemberStoreContractTests
{
    protected override Task<IConversationMemberStore> CreateStoreAsync() =>
        Task.FromResult<IConversationMemberStore>(new MemoryConversationMemberStore());
}
