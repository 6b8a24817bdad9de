namespace OrleansIm.Grains.Storage;

/// <summary>Times every call of the member store (<see cref="Diagnostics.StorageMetrics.StorageDuration"/>, store=member_store) and passes it on unchanged.</summary>
public sealed class TimedConversationMemberStore(IConversationMemberStore inner, Diagnostics.StorageMetrics metrics) : IConversationMemberStore
{
    private const string Store = "member_store";

    /// <summary>The store being timed.</summary>
    public IConversationMemberStore Inner => inner;

    public Task<IReadOnlyList<string>> LoadAsync(string convId) => metrics.TimeAsync(Store, "load", () => inner.LoadAsync(convId));

    public Task AddAsync(string convId, IReadOnlyList<string> userIds) => metrics.TimeAsync(Store, "add", () => inner.AddAsync(convId, userIds));

    public Task RemoveAsync(string convId, IReadOnlyCollection<string> userIds) =>
        metrics.TimeAsync(Store, "remove", () => inner.RemoveAsync(convId, userIds));

    public Task DeleteConversationAsync(string convId) =>
        metrics.TimeAsync(Store, "delete_conversation", () => inner.DeleteConversationAsync(convId));
}
