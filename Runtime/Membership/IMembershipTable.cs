namespace OrleansIm.Runtime.Membership;

/// <summary>
/// The shared membership table of one cluster (one row per silo incarnation plus a version row).
/// Contract, checked by one conformance suite run against every provider:
/// <list type="bullet">
/// <item><see cref="InsertRowAsync"/> and <see cref="UpdateRowAsync"/> succeed only if the table is still at
/// <c>expectedVersion</c>; on success the version becomes <c>expectedVersion + 1</c>. Otherwise they return false
/// and change nothing.</item>
/// <item>Insert also fails (false) if the address already has a row; update also fails if the row's ETag changed.</item>
/// <item><see cref="UpdateIAmAliveAsync"/> writes only the I-am-alive time: no version bump, no ETag check
/// (it is the silo's own heartbeat and must never conflict with votes).</item>
/// </list>
/// </summary>
public interface IMembershipTable
{
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken = default);

    Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion expectedVersion, CancellationToken cancellationToken = default);

    Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion expectedVersion, CancellationToken cancellationToken = default);

    Task UpdateIAmAliveAsync(SiloAddress address, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken = default);

    /// <summary>Deletes Dead rows whose I-am-alive time is older than <paramref name="beforeDate"/>.</summary>
    Task CleanupDefunctEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken = default);
}
