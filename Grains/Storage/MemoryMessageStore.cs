using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>In-process <see cref="IMessageStore"/> for tests; same semantics as <see cref="SqliteMessageStore"/>.</summary>
public sealed class MemoryMessageStore : IMessageStore
{
    private sealed class Conversation
    {
        public SortedList<long, ChatMessage> BySeq { get; } = new();
        public Dictionary<(string FromClient, string ClientMsgId), ChatMessage> ByClientMsgId { get; } = new();
    }

    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<(ChatMessage Stored, bool Duplicate)> AppendAsync(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Transient is not a stored property: what comes back from a store is never transient.
        var stored = message with { Transient = false };
        lock (_lock)
        {
            if (!_conversations.TryGetValue(message.ConvId, out var conversation))
                _conversations[message.ConvId] = conversation = new Conversation();

            if (message.ClientMsgId is { } clientMsgId &&
                conversation.ByClientMsgId.TryGetValue((message.FromClient, clientMsgId), out var earlier))
                return Task.FromResult((earlier, true));

            if (conversation.BySeq.TryGetValue(message.Seq, out var occupant))
            {
                // The same message written again (a retried append) is a duplicate, not a conflict.
                if (occupant.MsgId == message.MsgId) return Task.FromResult((occupant, true));
                throw new SequenceConflictException(message.ConvId, message.Seq);
            }

            conversation.BySeq.Add(stored.Seq, stored);
            if (stored.ClientMsgId is { } id) conversation.ByClientMsgId[(stored.FromClient, id)] = stored;
        }
        return Task.FromResult((stored, false));
    }

    public Task<long> GetLastSeqAsync(string convId) =>
        Read(convId, c => c.BySeq.Count == 0 ? 0L : c.BySeq.Keys[^1], 0L);

    public Task<long> CountAsync(string convId) => Read(convId, c => (long)c.BySeq.Count, 0L);

    public Task<IReadOnlyList<ChatMessage>> GetPageAsync(string convId, int page, int size)
    {
        MessageStoreArguments.CheckPage(page, size);
        var offset = (long)(page - 1) * size;
        return ReadList(convId, c => c.BySeq.Values.Reverse().Skip((int)Math.Min(offset, int.MaxValue)).Take(size));
    }

    public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string convId, long afterSeq, int limit)
    {
        MessageStoreArguments.CheckLimit(limit);
        return ReadList(convId, c => c.BySeq.Values.Where(m => m.Seq > afterSeq).Take(limit));
    }

    public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string convId, long beforeSeq, int limit)
    {
        MessageStoreArguments.CheckLimit(limit);
        return ReadList(convId, c => c.BySeq.Values.Reverse().Where(m => m.Seq < beforeSeq).Take(limit));
    }

    public Task DeleteConversationAsync(string convId)
    {
        lock (_lock)
        {
            _conversations.Remove(convId);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChatMessage>> GetLastMessagesAsync(IReadOnlyList<string> convIds)
    {
        MessageStoreArguments.CheckBatch(convIds);
        lock (_lock)
        {
            IReadOnlyList<ChatMessage> last = convIds
                .Select(id => _conversations.TryGetValue(id, out var c) && c.BySeq.Count > 0 ? c.BySeq.Values[^1] : null)
                .OfType<ChatMessage>()
                .ToList();
            return Task.FromResult(last);
        }
    }

    public Task<IReadOnlyDictionary<string, int>> CountUnreadAsync(string userId, IReadOnlyList<UnreadQuery> queries, int cap)
    {
        MessageStoreArguments.CheckBatch(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        lock (_lock)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var query in queries)
            {
                counts[query.ConvId] = _conversations.TryGetValue(query.ConvId, out var c)
                    ? c.BySeq.Values.Where(m => m.Seq > query.AfterSeq && m.FromClient != userId).Take(cap).Count()
                    : 0;
            }
            return Task.FromResult<IReadOnlyDictionary<string, int>>(counts);
        }
    }

    private Task<TResult> Read<TResult>(string convId, Func<Conversation, TResult> read, TResult whenMissing)
    {
        lock (_lock)
        {
            return Task.FromResult(_conversations.TryGetValue(convId, out var c) ? read(c) : whenMissing);
        }
    }

    // Materialized under the lock: callers get a snapshot, not a live view. Records are immutable.
    private Task<IReadOnlyList<ChatMessage>> ReadList(string convId, Func<Conversation, IEnumerable<ChatMessage>> query) =>
        Read<IReadOnlyList<ChatMessage>>(convId, c => query(c).ToList(), []);
}
