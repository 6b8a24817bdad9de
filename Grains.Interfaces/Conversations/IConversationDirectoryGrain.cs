using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>Queries across an app's conversations (seed 003 GET /im/conversations). Key = app id.</summary>
[Alias("im.IConversationDirectoryGrain")]
public interface IConversationDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Most ids one <see cref="FindExisting"/> may check.</summary>
    public const int MaxExistenceCheckIds = 1000;

    Task<ConversationQueryResult> Query(ConversationQuery query);

    /// <summary>
    /// The ids among <paramref name="convIds"/> (at most <see cref="MaxExistenceCheckIds"/>) that exist in this app (and
    /// are of <paramref name="convType"/>, when given), found in one index read: a request naming many conversations
    /// skips unknown ones (or ones of another type) without activating them.
    /// </summary>
    Task<IReadOnlyList<string>> FindExisting(IReadOnlyList<string> convIds, int? convType = null);
}
