using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// A queryable table of conversation metadata, derived from conversation grains' state (which stays the
/// source of truth; a grain re-upserts its row on activation, so a lost index write heals).
/// </summary>
public interface IConversationIndex
{
    Task UpsertAsync(ConversationInfo info);

    Task DeleteAsync(string convId);

    /// <summary>
    /// Rows of this app matching every filter (see <see cref="ConversationFilter"/> for fields and ops),
    /// ordered by ctime then conv_id, page 1-based, plus the total count. Throws ArgumentException for
    /// an unknown field/op or an unparsable value.
    /// </summary>
    Task<ConversationQueryResult> QueryAsync(string appId, ConversationQuery query);

    /// <summary>
    /// Which of <paramref name="convIds"/> have a row of this app (of type <paramref name="convType"/> only, when given),
    /// in ONE read whatever their number: lets a request naming many conversations skip the ids that do not exist (or
    /// are of another type) before any grain is activated or read.
    /// </summary>
    Task<IReadOnlySet<string>> FindExistingAsync(string appId, IReadOnlyCollection<string> convIds, int? convType = null);
}
