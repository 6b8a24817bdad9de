namespace OrleansIm.Grains.Storage;

/// <summary>In-process <see cref="IUserIndex"/> for tests.</summary>
public sealed class MemoryUserIndex : IUserIndex
{
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task AddAsync(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        lock (_lock) _users.Add(userId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        lock (_lock)
        {
            IReadOnlySet<string> existing = userIds.Where(_users.Contains).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(existing);
        }
    }
}
