using System.Collections.Concurrent;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Grains.Fakes;

/// <summary>
/// Minimal in-memory <see cref="IConversationIndex"/> supporting only conv_id/conv_type equality, enough to
/// test the grains. Replace with the real MemoryConversationIndex once it is merged.
/// </summary>
internal sealed class FakeConversationIndex : IConversationIndex
{
    private readonly ConcurrentDictionary<string, ConversationInfo> _rows = new();

    public IReadOnlyCollection<ConversationInfo> Rows => _rows.Values.ToList();

    public Task UpsertAsync(ConversationInfo info)
    {
        _rows[info.ConvId] = info;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string convId)
    {
        _rows.TryRemove(convId, out _);
        return Task.CompletedTask;
    }

    public Task<ConversationQueryResult> QueryAsync(string appId, ConversationQuery query)
    {
        IEnumerable<ConversationInfo> rows = _rows.Values.Where(r => r.AppId == appId);
        foreach (var filter in query.Filters)
        {
            if (filter.Op != "=") throw new ArgumentException($"Unsupported op '{filter.Op}'.");
            var value = filter.Values.Single();
            rows = filter.Field switch
            {
                "conv_id" => rows.Where(r => r.ConvId == value),
                "conv_type" => rows.Where(r => r.ConvType.ToString() == value),
                _ => throw new ArgumentException($"Unknown field '{filter.Field}'."),
            };
        }
        var all = rows.OrderBy(r => r.CTime).ThenBy(r => r.ConvId, StringComparer.Ordinal).ToList();
        var page = all.Skip((query.Page - 1) * query.Size).Take(query.Size).ToList();
        return Task.FromResult(new ConversationQueryResult(page, all.Count));
    }
}
