using System.Text.Json;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// <see cref="IConversationMemberStore"/> on the node's <see cref="SqliteDatabase"/> (the grain-state file); ids are always
/// bound as parameters. A row per member keyed by (conversation, user), with a position that orders the members: a new
/// member gets the conversation's highest position plus one, so join order survives leaves and re-joins.
/// </summary>
public sealed class SqliteConversationMemberStore : IConversationMemberStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS conversation_members(
            conv_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY(conv_id, user_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS conversation_members_position ON conversation_members(conv_id, position);
        """;

    private readonly SqliteDatabase _database;

    public SqliteConversationMemberStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _database.EnsureSchema(Schema);
    }

    public Task<IReadOnlyList<string>> LoadAsync(string convId)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        return _database.ReadAsync<IReadOnlyList<string>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT user_id FROM conversation_members WHERE conv_id = @conv_id ORDER BY position, user_id";
            command.Parameters.AddWithValue("@conv_id", convId);
            using var reader = command.ExecuteReader();
            var members = new List<string>();
            while (reader.Read()) members.Add(reader.GetString(0));
            return members;
        });
    }

    public Task AddAsync(string convId, IReadOnlyList<string> userIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0) return Task.CompletedTask;
        // The single writer runs this alone, so the highest position cannot move between the two statements.
        return _database.WriteAsync(connection =>
        {
            using var last = connection.CreateCommand();
            last.CommandText = "SELECT COALESCE(MAX(position), 0) FROM conversation_members WHERE conv_id = @conv_id";
            last.Parameters.AddWithValue("@conv_id", convId);
            var lastPosition = (long)last.ExecuteScalar()!;

            // One statement whatever the number of ids (one JSON array parameter); json_each's key is the array index.
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT OR IGNORE INTO conversation_members(conv_id, user_id, position)
                SELECT @conv_id, value, @last + key + 1 FROM json_each(@ids)
                """;
            insert.Parameters.AddWithValue("@conv_id", convId);
            insert.Parameters.AddWithValue("@last", lastPosition);
            insert.Parameters.AddWithValue("@ids", JsonSerializer.Serialize(userIds));
            insert.ExecuteNonQuery();
        });
    }

    public Task RemoveAsync(string convId, IReadOnlyCollection<string> userIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0) return Task.CompletedTask;
        return _database.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM conversation_members WHERE conv_id = @conv_id AND user_id IN (SELECT value FROM json_each(@ids))";
            command.Parameters.AddWithValue("@conv_id", convId);
            command.Parameters.AddWithValue("@ids", JsonSerializer.Serialize(userIds));
            command.ExecuteNonQuery();
        });
    }

    public Task DeleteConversationAsync(string convId)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        return _database.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM conversation_members WHERE conv_id = @conv_id";
            command.Parameters.AddWithValue("@conv_id", convId);
            command.ExecuteNonQuery();
        });
    }
}
