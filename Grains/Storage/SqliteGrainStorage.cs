using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// Orleans <see cref="IGrainStorage"/> on a <see cref="SqliteDatabase"/>: the standalone node's grain state. The
/// ETag check is part of the SQL statement itself (<c>WHERE etag = @etag</c>), so it is atomic with the write;
/// writes share the node's single writer and group commit with the message store, in the same file. Rows are keyed
/// by (state name, grain type, key) exactly as the node wrote them before it ran on Orleans, so old data directories
/// open unchanged; state is JSON (<see cref="GrainStateSerializer"/>).
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    // grain_state_etag holds one counter row: ETags are never reused, even after a clear, so an activation
    // holding an ETag from before a clear cannot overwrite a record someone wrote after it.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS grain_state(
            state_name TEXT NOT NULL,
            grain_type TEXT NOT NULL,
            grain_key TEXT NOT NULL,
            etag INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY(state_name, grain_type, grain_key));
        CREATE TABLE IF NOT EXISTS grain_state_etag(
            id INTEGER PRIMARY KEY CHECK(id = 1),
            value INTEGER NOT NULL);
        INSERT OR IGNORE INTO grain_state_etag(id, value) VALUES(1, 0);
        """;

    private const string KeyWhere = "state_name = @state_name AND grain_type = @grain_type AND grain_key = @grain_key";

    private readonly SqliteDatabase _database;

    public SqliteGrainStorage(SqliteDatabase database)
    {
        _database = database;
        _database.EnsureSchema(Schema);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var record = await _database.ReadAsync(connection =>
        {
            using var command = CreateKeyedCommand(connection, $"SELECT etag, data FROM grain_state WHERE {KeyWhere}", stateName, grainId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? (ETag: reader.GetInt64(0), Data: (byte[])reader[1]) : default((long ETag, byte[] Data)?);
        }).ConfigureAwait(false);

        GrainStateRecord.ApplyRead(grainState, record);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = GrainStateSerializer.Serialize(grainState.State);
        var expected = grainState.ETag;
        var newETag = await _database.WriteAsync(connection =>
        {
            var etag = NextETag(connection);
            using var command = CreateKeyedCommand(connection, expected is null
                ? "INSERT INTO grain_state(state_name, grain_type, grain_key, etag, data) " +
                  "VALUES(@state_name, @grain_type, @grain_key, @new_etag, @data) ON CONFLICT DO NOTHING"
                : $"UPDATE grain_state SET etag = @new_etag, data = @data WHERE {KeyWhere} AND etag = @etag",
                stateName, grainId);
            command.Parameters.AddWithValue("@new_etag", etag);
            command.Parameters.AddWithValue("@data", data);
            if (expected is not null) command.Parameters.AddWithValue("@etag", GrainStateRecord.ParseETag(expected));
            // Throwing makes SqliteDatabase roll back this operation's savepoint, counter bump included.
            if (command.ExecuteNonQuery() == 0) throw Mismatch(connection, "Write", stateName, grainId, expected);
            return etag;
        }).ConfigureAwait(false);

        grainState.ETag = GrainStateRecord.FormatETag(newETag);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = grainState.ETag;
        await _database.WriteAsync(connection =>
        {
            if (expected is null)
            {
                // Nothing to delete, but a record someone else wrote must not be silently ignored.
                if (StoredETag(connection, stateName, grainId) is not null)
                    throw Mismatch(connection, "Clear", stateName, grainId, expected);
                return;
            }
            using var command = CreateKeyedCommand(connection, $"DELETE FROM grain_state WHERE {KeyWhere} AND etag = @etag", stateName, grainId);
            command.Parameters.AddWithValue("@etag", GrainStateRecord.ParseETag(expected));
            if (command.ExecuteNonQuery() == 0) throw Mismatch(connection, "Clear", stateName, grainId, expected);
        }).ConfigureAwait(false);

        grainState.State = GrainStateSerializer.CreateDefault<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static long NextETag(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE grain_state_etag SET value = value + 1 WHERE id = 1 RETURNING value";
        return (long)command.ExecuteScalar()!;
    }

    private static string? StoredETag(SqliteConnection connection, string stateName, GrainId grainId)
    {
        using var command = CreateKeyedCommand(connection, $"SELECT etag FROM grain_state WHERE {KeyWhere}", stateName, grainId);
        return command.ExecuteScalar() is long etag ? GrainStateRecord.FormatETag(etag) : null;
    }

    private static InconsistentStateException Mismatch(
        SqliteConnection connection, string operation, string stateName, GrainId grainId, string? expected) =>
        new($"{operation} of state '{stateName}' for grain {grainId} failed: ETag mismatch",
            StoredETag(connection, stateName, grainId)!, expected!); // null = no record / no ETag, as Orleans' providers report it

    private static SqliteCommand CreateKeyedCommand(SqliteConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@state_name", stateName);
        command.Parameters.AddWithValue("@grain_type", grainId.Type.ToString());
        command.Parameters.AddWithValue("@grain_key", grainId.Key.ToString());
        return command;
    }
}
