using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

/// <summary>An <see cref="IConversationIndex"/> that counts its existence look-ups.</summary>
public sealed class CountingConversationIndex(IConversationIndex inner) : IConversationIndex
{
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    public Task UpsertAsync(ConversationInfo info) => inner.UpsertAsync(info);

    public Task DeleteAsync(string convId) => inner.DeleteAsync(convId);

    public Task<ConversationQueryResult> QueryAsync(string appId, ConversationQuery query) => inner.QueryAsync(appId, query);

    public Task<IReadOnlySet<string>> FindExistingAsync(string appId, IReadOnlyCollection<string> convIds, int? convType = null)
    {
        Interlocked.Increment(ref _lookups);
        return inner.FindExistingAsync(appId, convIds, convType);
    }
}
