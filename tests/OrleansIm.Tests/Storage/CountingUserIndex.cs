using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

/// <summary>An <see cref="IUserIndex"/> that counts its look-ups.</summary>
public sealed class CountingUserIndex(IUserIndex inner) : IUserIndex
{
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    public Task AddAsync(string userId) => inner.AddAsync(userId);

    public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyCollection<string> userIds)
    {
        Interlocked.Increment(ref _lookups);
        return inner.FindExistingAsync(userIds);
    }
}
