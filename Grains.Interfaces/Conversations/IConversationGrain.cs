using Orleans;
using Orleans.Concurrency;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A conversation: type, creator, members, conv_extend, message sequence and history. Key = conv_id.
/// Methods taking a requesterId check membership when it is non-null (null = trusted server-side caller)
/// and throw ImException 4003 for non-members; every method but Create throws 4004 if the conversation does not exist.
/// </summary>
[Alias("im.IConversationGrain")]
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the conversation (creator + ToClientIds as members). Throws 211 if a member never logged in,
    /// 4405 for a bad type, 4409 if it already exists — except a private conversation, whose create is idempotent.
    /// </summary>
    Task<ConversationInfo> Create(CreateConversationRequest request);

    Task<ConversationInfo> GetInfo(string? requesterId);

    /// <summary>Replaces conv_extend (raw JSON text or null).</summary>
    Task UpdateExtend(string? convExtend);

    /// <summary>Deletes the conversation, its members' list entries and its messages.</summary>
    Task Delete();

    /// <summary>Adds members (211 for unknown users; existing members are ignored).</summary>
    Task AddMembers(IReadOnlyList<string> userIds);

    Task<IReadOnlyList<string>> GetMembers(string? requesterId);

    /// <summary>The seq of the newest stored message (0 before the first); for admins (no membership check).</summary>
    Task<long> GetLastSeq();

    /// <summary>
    /// Stores the message durably (unless transient) and only then returns its ack; then fans out to members.
    /// FromClient must be a member (4003).
    /// </summary>
    Task<SendResult> Send(SendMessageRequest request);

    /// <summary>
    /// Sends several messages in the given order within one turn, as <see cref="Send"/> would one after another:
    /// seq follows list order. One message's failure (its outcome carries the error) does not stop the others.
    /// Gateways batch a connection's pipelined sends to one conversation through this, which keeps their order
    /// without relying on Orleans to deliver separate calls in the order they were sent.
    /// </summary>
    Task<IReadOnlyList<SendOutcome>> SendBatch(IReadOnlyList<SendMessageRequest> requests);

    /// <summary>Seed 003 history: page (1-based) of size messages, newest first.</summary>
    Task<MessagePage> GetHistory(string? requesterId, int page, int size);

    /// <summary>Messages with seq &gt; afterSeq, oldest first, at most limit (resync).</summary>
    Task<IReadOnlyList<ChatMessage>> GetMessagesAfter(string? requesterId, long afterSeq, int limit);

    /// <summary>Messages with seq &lt; beforeSeq, newest first, at most limit (scroll back).</summary>
    Task<IReadOnlyList<ChatMessage>> GetMessagesBefore(string? requesterId, long beforeSeq, int limit);

    // Recall, delete for self, clear history for self (seed 002). Each runs in the conversation's turn, so it never
    // reorders with sends; each pushes a named event (ClientEvent) to the devices concerned.

    /// <summary>
    /// Recalls a stored message named by seq (&gt; 0) or, when seq is 0, by msgId (both given: they must name the same
    /// message). A user (operatorId non-null) must be a member (4003), the sender (4102) and within
    /// ImGrains:RecallWindow of sending (4103); null = the server API, which may recall any message at any time.
    /// 4101 when there is no such message, 4104 when it is recalled already. Every member's live devices get the
    /// event <c>sysMsg</c> of type <c>deleteMsg</c>, except the connection <paramref name="exceptConnectionId"/>.
    /// Returns the message as now stored (content cleared, Recalled set).
    /// </summary>
    Task<ChatMessage> Recall(string? operatorId, long seq, string? msgId, string? exceptConnectionId);

    /// <summary>
    /// Hides messages (by seq and/or msg_id, together at most MessageLimits.MaxDeleteSelfIds) from the user's own
    /// history and sync; other members are unaffected. 4003 for a non-member, 4101 for a seq or msg_id that names no
    /// stored message, 4013 past MessageLimits.MaxDeletedForSelfPerConversation. The user's other live devices get
    /// <c>deleteSelfMsgs</c>. Returns the seqs named, ascending.
    /// </summary>
    Task<IReadOnlyList<long>> DeleteForSelf(string userId, IReadOnlyList<long> seqs, IReadOnlyList<string> msgIds, string? exceptConnectionId);

    /// <summary>
    /// Hides every message stored so far (up to the conversation's last seq) from the user's own history and sync;
    /// later messages show as usual. 4003 for a non-member. The user's other live devices get
    /// <c>clearServerHistoryMsgs</c>. Returns the seq the history is now cleared up to.
    /// </summary>
    Task<long> ClearHistoryForSelf(string userId, string? exceptConnectionId);

    /// <summary>
    /// A member's read cursor moved to <paramref name="seq"/> (sent by the member's user grain after it stored it). Kept
    /// in memory and persisted lazily for receipts; in a private conversation the other member gets <c>msgReceipts</c>.
    /// </summary>
    [OneWay]
    Task MemberRead(string userId, long seq);

    /// <summary>Read/unread counts of up to <see cref="ReceiptLimits.MaxSeqsPerQuery"/> messages (seqs without a stored message are left out).</summary>
    Task<IReadOnlyList<MessageReceipt>> GetReceipts(string? requesterId, IReadOnlyList<long> seqs);

    /// <summary>
    /// The members other than the sender who have read (<paramref name="read"/> true) or not read message <paramref name="seq"/>,
    /// by user id after <paramref name="afterUserId"/>, at most <paramref name="limit"/> (≤ <see cref="ReceiptLimits.MaxReadersPage"/>).
    /// </summary>
    Task<ReaderPage> GetReaders(string? requesterId, long seq, bool read, string? afterUserId, int limit);

    /// <summary>
    /// For the private conversation of <paramref name="blockerId"/> and another user (its id from
    /// <see cref="ConversationIds.ForPrivate"/>): records that the blocker blacklisted (or no longer blacklists) the other,
    /// whose sends are then refused with 4301. Kept even before the conversation is created and across its deletion, so
    /// the send path checks a loaded set and never asks the relation grain. Ignored by a conversation of another type.
    /// </summary>
    Task SetBlocked(string blockerId, bool blocked);
}
