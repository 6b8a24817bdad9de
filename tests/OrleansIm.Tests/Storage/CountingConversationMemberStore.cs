using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

/// <summary>An <see cref="IConversationMemberStore"/> that counts the rows it is asked to add and remove.</summary>
public sealed class CountingConversationMemberStore(IConversationMemberStore inner) : IConversationMemberStore
{
    private int _addedRows;
    private int _removedRows;

    public int AddedRows => Volatile.Read(ref _addedRows);

    public int RemovedRows => Volatile.Read(ref _removedRows);

    public Task<IReadOnlyList<string>> LoadAsync(string convId) => inner.LoadAsync(convId);

    public Task AddAsync(string convId, IReadOnlyList<string> userIds)
    {
        Interlocked.Add(ref _addedRows, userIds.Count);
        return inner.AddAsync(convId, userIds);
    }

    public Task RemoveAsync(string convId, IReadOnlyCollection<string> userIds)
    {
        Interlocked.Add(ref _removedRows, userIds.Count);
        return inner.RemoveAsync(convId, userIds);
    }

    public Task DeleteConversationAsync(string convId) => inner.DeleteConversationAsync(convId);
}
