using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Grains.Users;

/// <summary>
/// Builds a user's session list from the persisted conversation list (read cursors) and the message store (each
/// conversation's newest message, unread counts). Nothing of it is kept per message: a chat message costs the user
/// grain no write and no extra call, and a list costs one batched read per <see cref="IMessageStore.MaxBatch"/>
/// conversations plus one capped count per session on the page.
/// </summary>
internal static class SessionList
{
    /// <summary>A conversation of the list with its newest message (null when it has none).</summary>
    public sealed record Entry(string ConvId, long LastReadSeq, long UpdateTime, ChatMessage? LastMessage)
    {
        public long LastSeq => LastMessage?.Seq ?? 0;
    }

    /// <summary>Every conversation of the user, newest update first, ties by conv id.</summary>
    public static async Task<List<Entry>> LoadOrderedAsync(IMessageStore store, IReadOnlyList<UserConversationState> conversations)
    {
        var last = new Dictionary<string, ChatMessage>(StringComparer.Ordinal);
        foreach (var chunk in conversations.Select(c => c.ConvId).Chunk(IMessageStore.MaxBatch))
        {
            foreach (var message in await store.GetLastMessagesAsync(chunk)) last[message.ConvId] = message;
        }
        var entries = conversations.Select(c =>
        {
            var message = last.GetValueOrDefault(c.ConvId);
            return new Entry(c.ConvId, c.LastReadSeq, message?.CTime ?? c.JoinedAt, message);
        }).ToList();
        entries.Sort((a, b) => a.UpdateTime != b.UpdateTime ? b.UpdateTime.CompareTo(a.UpdateTime) : string.CompareOrdinal(a.ConvId, b.ConvId));
        return entries;
    }

    /// <summary>The page after <paramref name="cursor"/> with unread counts; throws 4406 for a cursor that is not one.</summary>
    public static async Task<SessionPage> PageAsync(IMessageStore store, string userId, List<Entry> ordered, string? cursor, int limit)
    {
        if (limit is < 1 or > SessionLimits.MaxPageSize)
            throw new ImException(ImErrorCodes.LimitExceeded, $"limit must be 1-{SessionLimits.MaxPageSize}.");
        IEnumerable<Entry> rest = ordered;
        if (cursor is not null)
        {
            if (!SessionCursors.TryParse(cursor, out var time, out var convId))
                throw new ImException(ImErrorCodes.InvalidParameter, "'cursor' is not a session list cursor.");
            rest = ordered.Where(e => SessionCursors.IsAfter(e.UpdateTime, e.ConvId, time, convId));
        }
        var page = rest.Take(limit + 1).ToList();
        var more = page.Count > limit;
        if (more) page.RemoveAt(page.Count - 1);

        var unread = await CountUnreadAsync(store, userId, page);
        var sessions = page.Select(e => new SessionInfo(e.ConvId, e.LastReadSeq, e.LastSeq, unread.GetValueOrDefault(e.ConvId), e.UpdateTime, e.LastMessage)).ToList();
        var next = more ? SessionCursors.Format(page[^1].UpdateTime, page[^1].ConvId) : null;
        return new SessionPage(sessions, next);
    }

    /// <summary>Counts only where something came after the read cursor (the newest seq says so without a count).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> CountUnreadAsync(IMessageStore store, string userId, IReadOnlyList<Entry> entries)
    {
        var queries = entries.Where(e => e.LastSeq > e.LastReadSeq).Select(e => new UnreadQuery(e.ConvId, e.LastReadSeq)).ToList();
        if (queries.Count == 0) return new Dictionary<string, int>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var chunk in queries.Chunk(IMessageStore.MaxBatch))
        {
            foreach (var (convId, count) in await store.CountUnreadAsync(userId, chunk, SessionLimits.UnreadCap)) counts[convId] = count;
        }
        return counts;
    }
}
