using Npgsql;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// <see cref="IConversationMemberStore"/> on the silo's <see cref="PostgresDatabase"/>; same semantics as
/// <see cref="SqliteConversationMemberStore"/>, ids always bound as parameters. Writes of one conversation go to one
/// writer loop (partitioned by conversation id), so they run in order.
/// </summary>
public sealed class PostgresConversationMemberStore : IConversationMemberStore
{
    // COLLATE "C": ids compare byte-wise, as in SQLite and the memory store, whatever the database's locale.
    private static readonly string[] SchemaSteps =
    [
        """
        CREATE TABLE IF NOT EXISTS orleansim_conversation_members(
            conv_id TEXT COLLATE "C" NOT NULL,
            user_id TEXT COLLATE "C" NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY(conv_id, user_id));
        CREATE INDEX IF NOT EXISTS orleansim_conversation_members_position ON orleansim_conversation_members(conv_id, position);
        """,
    ];

    private readonly PostgresDatabase _database;

    public PostgresConversationMemberStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _database.EnsureSchema("conversation_members", SchemaSteps);
    }

    public Task<IReadOnlyList<string>> LoadAsync(string convId)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        return _database.ReadAsync<IReadOnlyList<string>>(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT user_id FROM orleansim_conversation_members WHERE conv_id = @conv_id ORDER BY position, user_id", connection);
            command.Parameters.AddWithValue("conv_id", convId);
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            var members = new List<string>();
            while (await reader.ReadAsync().ConfigureAwait(false)) members.Add(reader.GetString(0));
            return members;
        });
    }

    public Task AddAsync(string convId, IReadOnlyList<string> userIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0) return Task.CompletedTask;
        // New members go after the highest position, in the order given. Two activations of one conversation adding at
        // the same moment (a handover) may give two rows one position; the user id then orders them.
        return _database.WriteAsync(convId, async connection =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO orleansim_conversation_members(conv_id, user_id, position)
                SELECT @conv_id, u.user_id,
                       COALESCE((SELECT MAX(position) FROM orleansim_conversation_members WHERE conv_id = @conv_id), 0) + u.ord
                FROM unnest(@user_ids) WITH ORDINALITY AS u(user_id, ord)
                ON CONFLICT(conv_id, user_id) DO NOTHING
                """, connection);
            command.Parameters.AddWithValue("conv_id", convId);
            command.Parameters.AddWithValue("user_ids", userIds.ToArray());
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        });
    }

    public Task RemoveAsync(string convId, IReadOnlyCollection<string> userIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0) return Task.CompletedTask;
        return _database.WriteAsync(convId, async connection =>
        {
            await using var command = new NpgsqlCommand(
                "DELETE FROM orleansim_conversation_members WHERE conv_id = @conv_id AND user_id = ANY(@user_ids)", connection);
            command.Parameters.AddWithValue("conv_id", convId);
            command.Parameters.AddWithValue("user_ids", userIds.ToArray());
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        });
    }

    public Task DeleteConversationAsync(string convId)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        return _database.WriteAsync(convId, async connection =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM orleansim_conversation_members WHERE conv_id = @conv_id", connection);
            command.Parameters.AddWithValue("conv_id", convId);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        });
    }
}
