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

    public Task<IReadOnlyList<(ChatMessage Stored, bool Duplicate)>> AppendBatchAsync(IReadOnlyList<ChatMessage> messages) =>
        metrics.TimeAsync(Store, "append_batch", () => inner.AppendBatchAsync(messages));

    public Task<long> GetLastSeqAsync(string convId) =>
        metrics.TimeAsync(Store, "last_seq", () => inner.GetLastSeqAsync(convId));

    public Task<long> CountAsync(string convId, string? viewerId = null) =>
        metrics.TimeAsync(Store, "count", () => inner.CountAsync(convId, viewerId));

    public Task<IReadOnlyList<ChatMessage>> GetPageAsync(string convId, int page, int size, string? viewerId = null) =>
        metrics.TimeAsync(Store, "page", () => inner.GetPageAsync(convId, page, size, viewerId));

    public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string convId, long afterSeq, int limit, string? viewerId = null) =>
        metrics.TimeAsync(Store, "after", () => inner.GetAfterAsync(convId, afterSeq, limit, viewerId));

    public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string convId, long beforeSeq, int limit, string? viewerId = null) =>
        metrics.TimeAsync(Store, "before", () => inner.GetBeforeAsync(convId, beforeSeq, limit, viewerId));

    public Task<IReadOnlyList<ChatMessage>> FindByMsgIdsAsync(string convId, IReadOnlyCollection<string> msgIds) =>
        metrics.TimeAsync(Store, "find_msg_ids", () => inner.FindByMsgIdsAsync(convId, msgIds));

    public Task<ChatMessage?> RecallAsync(string convId, long seq) =>
        metrics.TimeAsync(Store, "recall", () => inner.RecallAsync(convId, seq));

    public Task<bool> HideForUserAsync(string userId, string convId, IReadOnlyCollection<long> seqs, int maxHidden) =>
        metrics.TimeAsync(Store, "hide_for_user", () => inner.HideForUserAsync(userId, convId, seqs, maxHidden));

    public Task<long> ClearForUserAsync(string userId, string convId, long upToSeq) =>
        metrics.TimeAsync(Store, "clear_for_user", () => inner.ClearForUserAsync(userId, convId, upToSeq));

    public Task DeleteConversationAsync(string convId) =>
        metrics.TimeAsync(Store, "delete_conversation", () => inner.DeleteConversationAsync(convId));

    public Task<IReadOnlyList<ChatMessage>> GetLastMessagesAsync(IReadOnlyList<string> convIds) =>
        metrics.TimeAsync(Store, "last_messages", () => inner.GetLastMessagesAsync(convIds));

    public Task<IReadOnlyDictionary<string, int>> CountUnreadAsync(string userId, IReadOnlyList<UnreadQuery> queries, int cap) =>
        metrics.TimeAsync(Store, "count_unread", () => inner.CountUnreadAsync(userId, queries, cap));
}
