namespace OrleansIm.Grains.Storage;

/// <summary>In-process <see cref="IConversationMemberStore"/> for tests.</summary>
public sealed class MemoryConversationMemberStore : IConversationMemberStore
{
    private readonly Dictionary<string, List<string>> _members = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<IReadOnlyList<string>> LoadAsync(string convId)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        lock (_lock)
        {
            IReadOnlyList<string> members = _members.TryGetValue(convId, out var list) ? list.ToList() : [];
            return Task.FromResult(members);
        }
    }

    public Task AddAsync(string convId, IReadOnlyList<string> userIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0) return Task.CompletedTask;
        lock (_lock)
        {
            if (!_members.TryGetValue(convId, out var list)) _members[convId] = list = [];
            var present = list.ToHashSet(StringComparer.Ordinal);
            foreach (var userId in userIds)
            {
                if (present.Add(userId)) list.Add(userId);
            }
        }
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string convId, IReadOnlyCollection<string> userIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        ArgumentNullException.ThrowIfNull(userIds);
        var gone = userIds.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            if (_members.TryGetValue(convId, out var list))
            {
                list.RemoveAll(gone.Contains);
                if (list.Count == 0) _members.Remove(convId);
            }
        }
        return Task.CompletedTask;
    }

    public Task DeleteConversationAsync(string convId)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        lock (_lock) _members.Remove(convId);
        return Task.CompletedTask;
    }
}
