using Npgsql;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

/// <summary>
/// A <see cref="PostgresDatabase"/> in its own PostgreSQL schema (the contract suites use fixed ids), which can be
/// reopened and is dropped at the end.
/// </summary>
public sealed class PostgresTestSchema : IAsyncDisposable
{
    private PostgresTestSchema(string schema, string connectionString)
    {
        Schema = schema;
        ConnectionString = connectionString;
        Database = new PostgresDatabase(connectionString);
    }

    public string Schema { get; }

    /// <summary>The test server's connection string with <c>Search Path</c> set to this schema.</summary>
    public string ConnectionString { get; }

    public PostgresDatabase Database { get; private set; }

    public static async Task<PostgresTestSchema> CreateAsync()
    {
        var schema = $"t_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE SCHEMA {schema}");
        var builder = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString) { SearchPath = schema };
        return new PostgresTestSchema(schema, builder.ConnectionString);
    }

    /// <summary>Closes the database as a process exit would (after draining) and opens the same schema again.</summary>
    public async Task<PostgresDatabase> ReopenAsync()
    {
        await Database.DisposeAsync();
        Database = new PostgresDatabase(ConnectionString);
        return Database;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        await ExecuteAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresTestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
