using Orleans;

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
}
