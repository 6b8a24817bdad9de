using System.Data;
using System.Text.Json;
using Npgsql;

namespace OrleansIm.Runtime.Membership;

/// <summary>
/// The membership table in PostgreSQL, in the manner of Orleans' ADO.NET clustering: one row per silo
/// incarnation plus one version row per cluster. Inserts and updates check and bump the version row in
/// the same transaction, so of two silos acting on the same view exactly one write wins.
/// </summary>
public sealed class PostgresMembershipTable(string connectionString, string clusterId) : IMembershipTable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS orleansim_membership_version (
            cluster_id TEXT PRIMARY KEY,
            version BIGINT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS orleansim_membership (
            cluster_id TEXT NOT NULL,
            address TEXT NOT NULL,
            silo_name TEXT NOT NULL,
            status INT NOT NULL,
            start_time TIMESTAMPTZ NOT NULL,
            i_am_alive_time TIMESTAMPTZ NOT NULL,
            suspicions TEXT NOT NULL,
            etag BIGINT NOT NULL,
            PRIMARY KEY (cluster_id, address));
        """;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public string ClusterId { get; } = clusterId;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // Concurrent first starts of several silos may race on CREATE TABLE; an advisory lock serializes them.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(726354)", connection))
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            await using (var create = new NpgsqlCommand(Schema, connection)) await create.ExecuteNonQueryAsync(cancellationToken);
            await using var version = new NpgsqlCommand(
                "INSERT INTO orleansim_membership_version (cluster_id, version) VALUES (@c, 0) ON CONFLICT DO NOTHING", connection);
            version.Parameters.AddWithValue("c", ClusterId);
            await version.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(726354)", connection);
            await unlock.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the version and the rows, so they describe the same moment.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        long version;
        await using (var command = new NpgsqlCommand("SELECT version FROM orleansim_membership_version WHERE cluster_id = @c", connection, transaction))
        {
            command.Parameters.AddWithValue("c", ClusterId);
            version = (long)(await command.ExecuteScalarAsync(cancellationToken)
                             ?? throw new InvalidOperationException($"Membership table of cluster '{ClusterId}' is not initialized."));
        }

        var rows = new List<(MembershipEntry, string)>();
        await using (var command = new NpgsqlCommand(
                         "SELECT address, silo_name, status, start_time, i_am_alive_time, suspicions, etag FROM orleansim_membership WHERE cluster_id = @c",
                         connection, transaction))
        {
            command.Parameters.AddWithValue("c", ClusterId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var entry = new MembershipEntry(
                    SiloAddress.Parse(reader.GetString(0)),
                    reader.GetString(1),
                    (SiloStatus)reader.GetInt32(2),
                    reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetFieldValue<DateTimeOffset>(4),
                    ReadVotes(reader.GetString(5)));
                rows.Add((entry, reader.GetInt64(6).ToString()));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return new MembershipTableData(rows, new TableVersion(version));
    }

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion expectedVersion, CancellationToken cancellationToken = default) =>
        WriteUnderVersionAsync(expectedVersion, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO orleansim_membership (cluster_id, address, silo_name, status, start_time, i_am_alive_time, suspicions, etag)
                VALUES (@c, @a, @n, @s, @st, @alive, @votes, 1) ON CONFLICT DO NOTHING
                """, connection, transaction);
            AddEntryParameters(command, entry);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion expectedVersion, CancellationToken cancellationToken = default)
    {
        if (!long.TryParse(etag, out var expectedEtag)) return Task.FromResult(false);
        return WriteUnderVersionAsync(expectedVersion, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE orleansim_membership
                SET silo_name = @n, status = @s, start_time = @st, i_am_alive_time = @alive, suspicions = @votes, etag = etag + 1
                WHERE cluster_id = @c AND address = @a AND etag = @etag
                """, connection, transaction);
            AddEntryParameters(command, entry);
            command.Parameters.AddWithValue("etag", expectedEtag);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
    }

    public async Task UpdateIAmAliveAsync(SiloAddress address, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE orleansim_membership SET i_am_alive_time = @alive WHERE cluster_id = @c AND address = @a");
        command.Parameters.AddWithValue("c", ClusterId);
        command.Parameters.AddWithValue("a", address.ToString());
        command.Parameters.AddWithValue("alive", iAmAliveTime.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task CleanupDefunctEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "DELETE FROM orleansim_membership WHERE cluster_id = @c AND status = @dead AND i_am_alive_time < @before");
        command.Parameters.AddWithValue("c", ClusterId);
        command.Parameters.AddWithValue("dead", (int)SiloStatus.Dead);
        command.Parameters.AddWithValue("before", beforeDate.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<bool> WriteUnderVersionAsync(TableVersion expectedVersion,
        Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>> write, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The row lock taken by this UPDATE makes concurrent writers queue; the loser then sees the bumped version.
        await using (var bump = new NpgsqlCommand(
                         "UPDATE orleansim_membership_version SET version = version + 1, updated_at = now() WHERE cluster_id = @c AND version = @v",
                         connection, transaction))
        {
            bump.Parameters.AddWithValue("c", ClusterId);
            bump.Parameters.AddWithValue("v", expectedVersion.Version);
            if (await bump.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }
        if (!await write(connection, transaction))
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private void AddEntryParameters(NpgsqlCommand command, MembershipEntry entry)
    {
        command.Parameters.AddWithValue("c", ClusterId);
        command.Parameters.AddWithValue("a", entry.Address.ToString());
        command.Parameters.AddWithValue("n", entry.SiloName);
        command.Parameters.AddWithValue("s", (int)entry.Status);
        command.Parameters.AddWithValue("st", entry.StartTime.ToUniversalTime());
        command.Parameters.AddWithValue("alive", entry.IAmAliveTime.ToUniversalTime());
        command.Parameters.AddWithValue("votes", JsonSerializer.Serialize(entry.Suspicions.Select(v => new StoredVote(v.Suspector.ToString(), v.Time.ToUnixTimeMilliseconds()))));
    }

    private static IReadOnlyList<SuspectVote> ReadVotes(string json) =>
        (JsonSerializer.Deserialize<List<StoredVote>>(json) ?? [])
        .Select(v => new SuspectVote(SiloAddress.Parse(v.Suspector), DateTimeOffset.FromUnixTimeMilliseconds(v.TimeMs)))
        .ToList();

    private sealed record StoredVote(string Suspector, long TimeMs);
}
