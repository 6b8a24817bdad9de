using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// Durable message history: one row per (conv_id, seq), unique; a second unique key on
/// (conv_id, from_client, client_msg_id) when client_msg_id is set, which makes resends idempotent.
/// Implementations: <see cref="MemoryMessageStore"/> (tests), SqliteMessageStore (standalone node) and
/// PostgresMessageStore (cluster).
/// <para>
/// Reads take an optional viewer: given one, they leave out what that user deleted for themselves or cleared
/// (<see cref="HideForUserAsync"/>, <see cref="ClearForUserAsync"/>), inside the query, so paging, counts and
/// has_more stay exact. Null = the server's view: every stored message.
/// </para>
/// </summary>
public interface IMessageStore
{
    /// <summary>
    /// Appends durably and returns once committed. If a message with the same (conv, from, client_msg_id)
    /// exists, nothing is written and that stored message is returned with duplicate = true.
    /// If (conv, seq) is taken by a different message, throws <see cref="SequenceConflictException"/>.
    /// </summary>
    Task<(ChatMessage Stored, bool Duplicate)> AppendAsync(ChatMessage message);

    /// <summary>
    /// Appends several messages of ONE conversation, in order, as one durable write: the group commit takes them in one
    /// transaction, so a conversation's batch waits for one commit instead of one per message. Seqs are given
    /// consecutively from <c>messages[0].Seq</c>; a message that is a duplicate (as in <see cref="AppendAsync"/>, also of
    /// an earlier message of the same batch) takes none, so stored seqs stay gap-free. All or nothing: when a seq is
    /// taken by a different message, throws <see cref="SequenceConflictException"/> and writes none of them. The results
    /// are in the order of <paramref name="messages"/>.
    /// </summary>
    Task<IReadOnlyList<(ChatMessage Stored, bool Duplicate)>> AppendBatchAsync(IReadOnlyList<ChatMessage> messages);

    /// <summary>Highest stored seq of the conversation, 0 if none.</summary>
    Task<long> GetLastSeqAsync(string convId);

    Task<long> CountAsync(string convId, string? viewerId = null);

    /// <summary>Page (1-based) of size messages, newest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetPageAsync(string convId, int page, int size, string? viewerId = null);

    /// <summary>seq &gt; afterSeq, ascending, at most limit.</summary>
    Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string convId, long afterSeq, int limit, string? viewerId = null);

    /// <summary>seq &lt; beforeSeq, descending, at most limit.</summary>
    Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string convId, long beforeSeq, int limit, string? viewerId = null);

    /// <summary>The stored messages of the conversation with these msg_ids (any order; unknown ids are left out).</summary>
    Task<IReadOnlyList<ChatMessage>> FindByMsgIdsAsync(string convId, IReadOnlyCollection<string> msgIds);

    /// <summary>
    /// Recalls the message at seq: clears its content (text, attr, url, mentions) and sets Recalled; seq, msg_id,
    /// sender, type, times and client_msg_id stay. Returns the message as now stored, or null if there is none.
    /// </summary>
    Task<ChatMessage?> RecallAsync(string convId, long seq);

    /// <summary>
    /// Hides these seqs from <paramref name="userId"/>'s reads of the conversation. Seqs at or below the user's cleared
    /// point need no row and get none. Writes nothing and returns false when the user's hidden rows in this conversation
    /// would exceed <paramref name="maxHidden"/>.
    /// </summary>
    Task<bool> HideForUserAsync(string userId, string convId, IReadOnlyCollection<long> seqs, int maxHidden);

    /// <summary>
    /// Hides every message up to <paramref name="upToSeq"/> from <paramref name="userId"/>'s reads (the cleared point
    /// only moves forward) and drops the hidden rows it covers. Returns the cleared point now stored.
    /// </summary>
    Task<long> ClearForUserAsync(string userId, string convId, long upToSeq);

    /// <summary>Deletes the conversation's messages and every user's hidden rows and cleared point in it.</summary>
    Task DeleteConversationAsync(string convId);

    /// <summary>Most conversations one batched read (<see cref="GetLastMessagesAsync"/>, <see cref="CountUnreadAsync"/>) may name.</summary>
    public const int MaxBatch = 500;

    /// <summary>
    /// The newest message of each named conversation that has one (any order; conversations without messages are
    /// absent). One indexed look-up per conversation in one round trip: the session list derives last messages and
    /// update times from it instead of keeping them in grain state. At most <see cref="MaxBatch"/> ids.
    /// </summary>
    Task<IReadOnlyList<ChatMessage>> GetLastMessagesAsync(IReadOnlyList<string> convIds);

    /// <summary>
    /// Per conversation: how many messages after its AfterSeq were sent by someone other than <paramref name="userId"/>,
    /// counting at most <paramref name="cap"/> (a conversation with more answers cap), so one count never scans more
    /// than cap rows. Every named conversation is in the answer. At most <see cref="MaxBatch"/> queries.
    /// </summary>
    Task<IReadOnlyDictionary<string, int>> CountUnreadAsync(string userId, IReadOnlyList<UnreadQuery> queries, int cap);
}
