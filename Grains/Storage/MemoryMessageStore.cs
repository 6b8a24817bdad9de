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
    private readonly Dictionary<(string ConvId, string UserId), HashSet<long>> _hidden = new();
    private readonly Dictionary<(string ConvId, string UserId), long> _cleared = new();
    private readonly Lock _lock = new();

    public async Task<(ChatMessage Stored, bool Duplicate)> AppendAsync(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (await AppendBatchAsync([message]))[0];
    }

    public Task<IReadOnlyList<(ChatMessage Stored, bool Duplicate)>> AppendBatchAsync(IReadOnlyList<ChatMessage> messages)
    {
        MessageStoreArguments.CheckAppendBatch(messages);
        lock (_lock)
        {
            _conversations.TryGetValue(messages[0].ConvId, out var conversation);
            // Checked against what is stored plus what this batch adds, and written only when every message passed.
            var added = new List<ChatMessage>(messages.Count);
            var results = new List<(ChatMessage, bool)>(messages.Count);
            var seq = messages[0].Seq;
            foreach (var message in messages)
            {
                var candidate = message.WithSeq(seq) with { Transient = false };
                var earlier = candidate.ClientMsgId is { } clientMsgId
                    ? added.Find(m => m.FromClient == candidate.FromClient && m.ClientMsgId == clientMsgId) ??
                      conversation?.ByClientMsgId.GetValueOrDefault((candidate.FromClient, clientMsgId))
                    : null;
                var occupant = earlier is null ? conversation?.BySeq.GetValueOrDefault(seq) : null;
                if (earlier is not null) results.Add((earlier, true));
                else if (occupant is not null && occupant.MsgId == candidate.MsgId) results.Add((occupant, true));
                else if (occupant is not null) throw new SequenceConflictException(candidate.ConvId, seq);
                else
                {
                    added.Add(candidate);
                    results.Add((candidate, false));
                    seq++;
                }
            }

            if (conversation is null) _conversations[messages[0].ConvId] = conversation = new Conversation();
            foreach (var stored in added)
            {
                conversation.BySeq.Add(stored.Seq, stored);
                if (stored.ClientMsgId is { } id) conversation.ByClientMsgId[(stored.FromClient, id)] = stored;
            }
            return Task.FromResult<IReadOnlyList<(ChatMessage, bool)>>(results);
        }
    }

    public Task<long> GetLastSeqAsync(string convId) =>
        Read(convId, c => c.BySeq.Count == 0 ? 0L : c.BySeq.Keys[^1], 0L);

    public Task<long> CountAsync(string convId, string? viewerId = null) =>
        Read(convId, c => (long)Visible(c, convId, viewerId).Count(), 0L);

    public Task<IReadOnlyList<ChatMessage>> GetPageAsync(string convId, int page, int size, string? viewerId = null)
    {
        MessageStoreArguments.CheckPage(page, size);
        var offset = (long)(page - 1) * size;
        return ReadList(convId, c => Visible(c, convId, viewerId).Reverse().Skip((int)Math.Min(offset, int.MaxValue)).Take(size));
    }

    public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string convId, long afterSeq, int limit, string? viewerId = null)
    {
        MessageStoreArguments.CheckLimit(limit);
        return ReadList(convId, c => Visible(c, convId, viewerId).Where(m => m.Seq > afterSeq).Take(limit));
    }

    public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string convId, long beforeSeq, int limit, string? viewerId = null)
    {
        MessageStoreArguments.CheckLimit(limit);
        return ReadList(convId, c => Visible(c, convId, viewerId).Reverse().Where(m => m.Seq < beforeSeq).Take(limit));
    }

    public Task<IReadOnlyList<ChatMessage>> FindByMsgIdsAsync(string convId, IReadOnlyCollection<string> msgIds)
    {
        ArgumentNullException.ThrowIfNull(msgIds);
        var wanted = msgIds.ToHashSet(StringComparer.Ordinal);
        return ReadList(convId, c => c.BySeq.Values.Where(m => wanted.Contains(m.MsgId)));
    }

    public Task<ChatMessage?> RecallAsync(string convId, long seq)
    {
        lock (_lock)
        {
            if (!_conversations.TryGetValue(convId, out var c) || !c.BySeq.TryGetValue(seq, out var message))
                return Task.FromResult<ChatMessage?>(null);
            var recalled = message with { Text = null, Attr = null, Url = null, MentionAll = false, MentionClientIds = null, Recalled = true };
            c.BySeq[seq] = recalled;
            if (recalled.ClientMsgId is { } id) c.ByClientMsgId[(recalled.FromClient, id)] = recalled;
            return Task.FromResult<ChatMessage?>(recalled);
        }
    }

    public Task<bool> HideForUserAsync(string userId, string convId, IReadOnlyCollection<long> seqs, int maxHidden)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        lock (_lock)
        {
            var cleared = _cleared.GetValueOrDefault((convId, userId));
            var existing = _hidden.GetValueOrDefault((convId, userId)) ?? [];
            var added = seqs.Where(seq => seq > cleared && !existing.Contains(seq)).Distinct().ToList();
            if (existing.Count + added.Count > maxHidden) return Task.FromResult(false);
            existing.UnionWith(added);
            _hidden[(convId, userId)] = existing;
            return Task.FromResult(true);
        }
    }

    public Task<long> ClearForUserAsync(string userId, string convId, long upToSeq)
    {
        lock (_lock)
        {
            var cleared = Math.Max(_cleared.GetValueOrDefault((convId, userId)), upToSeq);
            _cleared[(convId, userId)] = cleared;
            _hidden.GetValueOrDefault((convId, userId))?.RemoveWhere(seq => seq <= cleared);
            return Task.FromResult(cleared);
        }
    }

    public Task DeleteConversationAsync(string convId)
    {
        lock (_lock)
        {
            _conversations.Remove(convId);
            foreach (var key in _hidden.Keys.Where(k => k.ConvId == convId).ToList()) _hidden.Remove(key);
            foreach (var key in _cleared.Keys.Where(k => k.ConvId == convId).ToList()) _cleared.Remove(key);
        }
        return Task.CompletedTask;
    }

    /// <summary>The conversation's messages in seq order as the viewer sees them (all of them for no viewer). Call under the lock.</summary>
    private IEnumerable<ChatMessage> Visible(Conversation c, string convId, string? viewerId)
    {
        if (viewerId is null) return c.BySeq.Values;
        var cleared = _cleared.GetValueOrDefault((convId, viewerId));
        var hidden = _hidden.GetValueOrDefault((convId, viewerId));
        return c.BySeq.Values.Where(m => m.Seq > cleared && (hidden is null || !hidden.Contains(m.Seq)));
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
