using Npgsql;

namespace OrleansIm.Runtime.Storage.PostgreSql;

/// <summary>
/// <see cref="IGrainStorage"/> on a <see cref="PostgresDatabase"/>. The ETag check is part of the SQL statement
/// itself (<c>WHERE etag = @etag</c>), so it is atomic with the write; writes go through group commit.
/// </summary>
public sealed class PostgresGrainStorage : IGrainStorage
{
    // ETags come from a sequence: never reused, even after a clear or a rolled-back write, so an activation
    // holding an ETag from before a clear cannot overwrite a record someone wrote after it. Unlike a counter
    // row, a sequence takes no lock, so writer loops do not serialize on it.
    // State is bytea, not jsonb: byte-exact GrainStateSerializer output (jsonb rejects \u0000 in strings).
    private static readonly string[] SchemaSteps =
    [
        """
        CREATE TABLE IF NOT EXISTS orleansim_grain_state(
            state_name TEXT NOT NULL,
            grain_type TEXT NOT NULL,
            grain_key TEXT NOT NULL,
            etag BIGINT NOT NULL,
            data BYTEA NOT NULL,
            PRIMARY KEY(state_name, grain_type, grain_key));
        CREATE SEQUENCE IF NOT EXISTS orleansim_grain_state_etag;
        """,
    ];

    private const string KeyWhere = "state_name = @state_name AND grain_type = @grain_type AND grain_key = @grain_key";

    private readonly PostgresDatabase _database;

    public PostgresGrainStorage(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _database.EnsureSchema("grain_state", SchemaSteps);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var record = await _database.ReadAsync(async connection =>
        {
            await using var command = CreateKeyedCommand(connection, $"SELECT etag, data FROM orleansim_grain_state WHERE {KeyWhere}", stateName, grainId);
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            return await reader.ReadAsync().ConfigureAwait(false)
                ? (ETag: reader.GetInt64(0), Data: reader.GetFieldValue<byte[]>(1))
                : default((long ETag, byte[] Data)?);
        }).ConfigureAwait(false);

        GrainStateRecord.ApplyRead(grainState, record);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = GrainStateSerializer.Serialize(grainState.State);
        var expected = grainState.ETag;
        var newETag = await _database.WriteAsync(PartitionKey(stateName, grainId), async connection =>
        {
            // ON CONFLICT DO NOTHING waits for a concurrent insert of the same key and then yields, and an UPDATE
            // re-checks its WHERE after waiting for a concurrent writer: either way exactly one writer wins.
            await using var command = CreateKeyedCommand(connection, expected is null
                ? "INSERT INTO orleansim_grain_state(state_name, grain_type, grain_key, etag, data) " +
                  "VALUES(@state_name, @grain_type, @grain_key, nextval('orleansim_grain_state_etag'), @data) " +
                  "ON CONFLICT DO NOTHING RETURNING etag"
                : "UPDATE orleansim_grain_state SET etag = nextval('orleansim_grain_state_etag'), data = @data " +
                  $"WHERE {KeyWhere} AND etag = @etag RETURNING etag",
                stateName, grainId);
            command.Parameters.AddWithValue("data", data);
            if (expected is not null) command.Parameters.AddWithValue("etag", GrainStateRecord.ParseETag(expected));
            return await command.ExecuteScalarAsync().ConfigureAwait(false) is long etag
                ? etag
                : throw await MismatchAsync(connection, "Write", stateName, grainId, expected).ConfigureAwait(false);
        }).ConfigureAwait(false);

        grainState.ETag = GrainStateRecord.FormatETag(newETag);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = grainState.ETag;
        await _database.WriteAsync(PartitionKey(stateName, grainId), async connection =>
        {
            if (expected is null)
            {
                // Nothing to delete, but a record someone else wrote must not be silently ignored.
                if (await StoredETagAsync(connection, stateName, grainId).ConfigureAwait(false) is not null)
                    throw await MismatchAsync(connection, "Clear", stateName, grainId, expected).ConfigureAwait(false);
                return;
            }
            await using var command = CreateKeyedCommand(connection, $"DELETE FROM orleansim_grain_state WHERE {KeyWhere} AND etag = @etag", stateName, grainId);
            command.Parameters.AddWithValue("etag", GrainStateRecord.ParseETag(expected));
            if (await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
                throw await MismatchAsync(connection, "Clear", stateName, grainId, expected).ConfigureAwait(false);
        }).ConfigureAwait(false);

        grainState.State = GrainStateSerializer.CreateDefault<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    // Writes of one grain's state always share a writer loop, so they never contend across loops.
    private static string PartitionKey(string stateName, GrainId grainId) => $"{grainId.Type}/{grainId.Key}/{stateName}";

    private static async Task<string?> StoredETagAsync(NpgsqlConnection connection, string stateName, GrainId grainId)
    {
        await using var command = CreateKeyedCommand(connection, $"SELECT etag FROM orleansim_grain_state WHERE {KeyWhere}", stateName, grainId);
        return await command.ExecuteScalarAsync().ConfigureAwait(false) is long etag ? GrainStateRecord.FormatETag(etag) : null;
    }

    private static async Task<InconsistentStateException> MismatchAsync(
        NpgsqlConnection connection, string operation, string stateName, GrainId grainId, string? expected) =>
        new($"{operation} of state '{stateName}' for grain {grainId} failed: ETag mismatch",
            await StoredETagAsync(connection, stateName, grainId).ConfigureAwait(false), expected);

    private static NpgsqlCommand CreateKeyedCommand(NpgsqlConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("state_name", stateName);
        command.Parameters.AddWithValue("grain_type", grainId.Type);
        command.Parameters.AddWithValue("grain_key", grainId.Key);
        return command;
    }

    // An ETag this provider did not issue can never match a stored one; sequences never issue -1.

}
