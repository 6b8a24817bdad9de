namespace OrleansIm.Runtime.Membership;

/// <summary>
/// Membership table in process memory: the standalone node's, and the one several in-process silos of a
/// test cluster share. Same contract as the PostgreSQL table.
/// </summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    private readonly object _lock = new();
    private readonly Dictionary<SiloAddress, (MembershipEntry Entry, long ETag)> _rows = [];
    private long _version;
    private long _nextEtag;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var rows = _rows.Values.Select(r => (r.Entry, r.ETag.ToString())).ToList();
            return Task.FromResult(new MembershipTableData(rows, new TableVersion(_version)));
        }
    }

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion expectedVersion, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (expectedVersion.Version != _version || _rows.ContainsKey(entry.Address)) return Task.FromResult(false);
            _rows[entry.Address] = (entry, ++_nextEtag);
            _version++;
            return Task.FromResult(true);
        }
    }

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion expectedVersion, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (expectedVersion.Version != _version
                || !_rows.TryGetValue(entry.Address, out var current)
                || current.ETag.ToString() != etag)
                return Task.FromResult(false);
            _rows[entry.Address] = (entry, ++_nextEtag);
            _version++;
            return Task.FromResult(true);
        }
    }

    public Task UpdateIAmAliveAsync(SiloAddress address, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_rows.TryGetValue(address, out var current))
                _rows[address] = (current.Entry with { IAmAliveTime = iAmAliveTime }, current.ETag);
        }
        return Task.CompletedTask;
    }

    public Task CleanupDefunctEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var address in _rows.Values.Where(r => r.Entry.Status == SiloStatus.Dead && r.Entry.IAmAliveTime < beforeDate)
                         .Select(r => r.Entry.Address).ToList())
                _rows.Remove(address);
        }
        return Task.CompletedTask;
    }
}
