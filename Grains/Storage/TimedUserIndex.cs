namespace OrleansIm.Grains.Storage;

/// <summary>Times every call of the user index (<see cref="Diagnostics.StorageMetrics.StorageDuration"/>, store=user_index) and passes it on unchanged.</summary>
public sealed class TimedUserIndex(IUserIndex inner, Diagnostics.StorageMetrics metrics) : IUserIndex
{
    private const string Store = "user_index";

    /// <summary>The index being timed.</summary>
    public IUserIndex Inner => inner;

    public Task AddAsync(string userId) => metrics.TimeAsync(Store, "add", () => inner.AddAsync(userId));

    public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyCollection<string> userIds) =>
        metrics.TimeAsync(Store, "find_existing", () => inner.FindExistingAsync(userIds));
}
