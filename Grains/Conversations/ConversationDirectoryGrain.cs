using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Grains.Conversations;

/// <summary>
/// Queries over one app's conversations (key = app id). Stateless: it only forwards to the
/// <see cref="IConversationIndex"/>, which conversation grains keep up to date.
/// </summary>
[GrainType("conversationdirectory"), Orleans.Concurrency.StatelessWorker]
public sealed class ConversationDirectoryGrain(IConversationIndex index) : Grain, IConversationDirectoryGrain
{
    /// <summary>Seed 003's default page size for conversation queries.</summary>
    public const int DefaultPageSize = 20;

    public async Task<ConversationQueryResult> Query(ConversationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var normalized = new ConversationQuery(
            query.Filters ?? [],
            Math.Max(query.Page, 1),
            query.Size <= 0 ? DefaultPageSize : Math.Min(query.Size, MessageLimits.MaxPageSize));
        try
        {
            return await index.QueryAsync(this.GetPrimaryKeyString(), normalized);
        }
        catch (ArgumentException ex)
        {
            // The index rejects unknown fields/ops and unparsable values; to clients that is a bad parameter.
            throw new ImException(ImErrorCodes.InvalidParameter, ex.Message);
        }
    }

    public async Task<IReadOnlyList<string>> FindExisting(IReadOnlyList<string> convIds, int? convType = null)
    {
        ArgumentNullException.ThrowIfNull(convIds);
        if (convIds.Count > IConversationDirectoryGrain.MaxExistenceCheckIds)
            throw new ImException(ImErrorCodes.LimitExceeded, $"At most {IConversationDirectoryGrain.MaxExistenceCheckIds} conversation ids per check.");
        var existing = await index.FindExistingAsync(this.GetPrimaryKeyString(), convIds, convType);
        return convIds.Where(existing.Contains).Distinct(StringComparer.Ordinal).ToList();
    }
}
