using Npgsql;

namespace OrleansIm.Grains.Storage;

/// <summary><see cref="IUserIndex"/> on the silo's <see cref="PostgresDatabase"/>; ids are always bound as parameters.</summary>
public sealed class PostgresUserIndex : IUserIndex
{
    // COLLATE "C": ids compare byte-wise, as in SQLite and the memory index, whatever the database's locale.
    private static readonly string[] SchemaSteps =
    [
        """CREATE TABLE IF NOT EXISTS orleansim_users(user_id TEXT COLLATE "C" PRIMARY KEY);""",
    ];

    private readonly PostgresDatabase _database;

    public PostgresUserIndex(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _database.EnsureSchema("users", SchemaSteps);
    }

    public Task AddAsync(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return _database.WriteAsync(userId, async connection =>
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO orleansim_users(user_id) VALUES(@user_id) ON CONFLICT(user_id) DO NOTHING", connection);
            command.Parameters.AddWithValue("user_id", userId);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        });
    }

    public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0) return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal));
        return _database.ReadAsync<IReadOnlySet<string>>(async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT user_id FROM orleansim_users WHERE user_id = ANY(@ids)", connection);
            command.Parameters.AddWithValue("ids", userIds.ToArray());
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            var existing = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync().ConfigureAwait(false)) existing.Add(reader.GetString(0));
            return existing;
        });
    }
}
