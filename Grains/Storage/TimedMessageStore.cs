using OrleansIm.Grains.Diagnostics;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>Times every call of a message store (<see cref="StorageMetrics.StorageDuration"/>, store=messages) and passes it on unchanged.</summary>
public sealed class TimedMessageStore(IMessageStore inner, StorageMetrics metrics) : IMessageStore
{
    private const string Store = "messages";

    /// <summary>The store being timed.</summary>
    public IMessageStore Inner => inner;

    public Task<(ChatMessage Stored, bool Duplicate)> AppendAsync(ChatMessage message) =>
        metrics.TimeAsync(Store, "append", () => inner.AppendAsync(message));

    public Task<long> GetLastSeqAsync(string convId) =>
        metrics.TimeAsync(Store, "last_seq", () => inner.GetLastSeqAsync(convId));

    public Task<long> CountAsync(string convId) =>
        metrics.TimeAsync(Store, "count", () => inner.CountAsync(convId));

    public Task<IReadOnlyList<ChatMessage>> GetPageAsync(string convId, int page, int size) =>
        metrics.TimeAsync(Store, "page", () => inner.GetPageAsync(convId, page, size));

    public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string convId, long afterSeq, int limit) =>
        metrics.TimeAsync(Store, "after", () => inner.GetAfterAsync(convId, afterSeq, limit));

    public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string convId, long beforeSeq, int limit) =>
        metrics.TimeAsync(Store, "before", () => inner.GetBeforeAsync(convId, beforeSeq, limit));

    public Task DeleteConversationAsync(string convId) =>
        metrics.TimeAsync(Store, "delete_conversation", () => inner.DeleteConversationAsync(convId));

    public Task<IReadOnlyList<ChatMessage>> GetLastMessagesAsync(IReadOnlyList<string> convIds) =>
        metrics.TimeAsync(Store, "last_messages", () => inner.GetLastMessagesAsync(convIds));

    public Task<IReadOnlyDictionary<string, int>> CountUnreadAsync(string userId, IReadOnlyList<UnreadQuery> queries, int cap) =>
        metrics.TimeAsync(Store, "count_unread", () => inner.CountUnreadAsync(userId, queries, cap));
}
