using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>In-process <see cref="IConversationIndex"/> for tests; same filter semantics as <see cref="SqliteConversationIndex"/>.</summary>
public sealed class MemoryConversationIndex : IConversationIndex
{
    private readonly Dictionary<string, ConversationInfo> _rows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task UpsertAsync(ConversationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (_lock)
        {
            _rows[info.ConvId] = info;
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string convId)
    {
        lock (_lock)
        {
            _rows.Remove(convId);
        }
        return Task.CompletedTask;
    }

    public Task<ConversationQueryResult> QueryAsync(string appId, ConversationQuery query)
    {
        var conditions = ConversationFilterCondition.ParseAll(query);
        List<ConversationInfo> matches;
        lock (_lock)
        {
            matches = _rows.Values
                .Where(row => row.AppId == appId && conditions.All(condition => condition.Matches(row)))
                .OrderBy(row => row.CTime).ThenBy(row => row.ConvId, StringComparer.Ordinal)
                .ToList();
        }
        var offset = (long)(query.Page - 1) * query.Size;
        var page = matches.Skip((int)Math.Min(offset, int.MaxValue)).Take(query.Size).ToList();
        return Task.FromResult(new ConversationQueryResult(page, matches.Count));
    }

    public Task<IReadOnlySet<string>> FindExistingAsync(string appId, IReadOnlyCollection<string> convIds, int? convType = null)
    {
        ArgumentNullException.ThrowIfNull(convIds);
        lock (_lock)
        {
            IReadOnlySet<string> existing = convIds
                .Where(id => _rows.TryGetValue(id, out var row) && row.AppId == appId && (convType is null || row.ConvType == convType))
                .ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(existing);
        }
    }
}
