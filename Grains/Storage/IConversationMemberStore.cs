namespace OrleansIm.Grains.Storage;

/// <summary>
/// Conversations' members, one row per member with a position that keeps join order. The conversation grain is the only
/// writer of its conversation's rows (it keeps the list in memory and loads it on activation), so a join or leave writes
/// the rows that changed, never the whole list: a join to a 2,000-member team is one row, not a 2,000-entry state.
/// Chatrooms (conv_type 4) have no rows: who is in a room lives in its activation's memory.
/// </summary>
public interface IConversationMemberStore
{
    /// <summary>The conversation's members in join order (empty when it has none).</summary>
    Task<IReadOnlyList<string>> LoadAsync(string convId);

    /// <summary>
    /// Appends <paramref name="userIds"/> after the current members, in the order given; a user who is already a member
    /// keeps their place (idempotent). Writes one row per new member.
    /// </summary>
    Task AddAsync(string convId, IReadOnlyList<string> userIds);

    /// <summary>Removes <paramref name="userIds"/>' rows; ids that are not members are ignored.</summary>
    Task RemoveAsync(string convId, IReadOnlyCollection<string> userIds);

    /// <summary>Removes every row of the conversation (its delete, or what a create that never finished left behind).</summary>
    Task DeleteConversationAsync(string convId);
}
