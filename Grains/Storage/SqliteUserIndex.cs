using System.Text.Json;

namespace OrleansIm.Grains.Storage;

/// <summary><see cref="IUserIndex"/> on the node's <see cref="SqliteDatabase"/>; ids are always bound as parameters.</summary>
public sealed class SqliteUserIndex : IUserIndex
{
    private const string Schema = "CREATE TABLE IF NOT EXISTS users(user_id TEXT PRIMARY KEY);";

    private readonly SqliteDatabase _database;

    public SqliteUserIndex(SqliteDatabase database)
    {
        _database = database;
        _database.EnsureSchema(Schema);
    }

    public Task AddAsync(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return _database.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR IGNORE INTO users(user_id) VALUES(@user_id)";
            command.Parameters.AddWithValue("@user_id", userId);
            command.ExecuteNonQuery();
        });
    }

    public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0) return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal));
        return _database.ReadAsync<IReadOnlySet<string>>(connection =>
        {
            // The ids travel as one JSON array parameter: one statement whatever their number.
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT user_id FROM users WHERE user_id IN (SELECT value FROM json_each(@ids))";
            command.Parameters.AddWithValue("@ids", JsonSerializer.Serialize(userIds));
            using var reader = command.ExecuteReader();
            var existing = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read()) existing.Add(reader.GetString(0));
            return existing;
        });
    }
}
