using OrleansIm.Grains.Diagnostics;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>Times every call of a conversation index (<see cref="StorageMetrics.StorageDuration"/>, store=conversation_index) and passes it on unchanged.</summary>
public sealed class TimedConversationIndex(IConversationIndex inner, StorageMetrics metrics) : IConversationIndex
{
    private const string Store = "conversation_index";

    /// <summary>The index being timed.</summary>
    public IConversationIndex Inner => inner;

    public Task UpsertAsync(ConversationInfo info) => metrics.TimeAsync(Store, "upsert", () => inner.UpsertAsync(info));

    public Task DeleteAsync(string convId) => metrics.TimeAsync(Store, "delete", () => inner.DeleteAsync(convId));

    public Task<ConversationQueryResult> QueryAsync(string appId, ConversationQuery query) =>
        metrics.TimeAsync(Store, "query", () => inner.QueryAsync(appId, query));

    public Task<IReadOnlySet<string>> FindExistingAsync(string appId, IReadOnlyCollection<string> convIds, int? convType = null) =>
        metrics.TimeAsync(Store, "find_existing", () => inner.FindExistingAsync(appId, convIds, convType));
}
