using Npgsql;

namespace OrleansIm.Gateway.Files;

/// <summary>
/// The file tables, as numbered steps of component <c>files</c> in <c>orleansim_schema_version</c> under the schema
/// advisory lock — the same table and lock the silos' stores use (Grains' PostgresDatabase.EnsureSchemaAsync; the
/// gateway cannot reference Grains), so gateways and silos starting together never race on DDL.
/// Steps are append-only: never edit a released step, add one.
/// </summary>
public static class PostgresFileSchema
{
    public const string Component = "files";

    /// <summary>Must equal Grains' PostgresDatabase.SchemaLockKey.</summary>
    public const long SchemaLockKey = 726355;

    public static readonly IReadOnlyList<string> Steps =
    [
        """
        CREATE TABLE IF NOT EXISTS orleansim_files(
            name TEXT PRIMARY KEY,
            content_type TEXT NOT NULL,
            length BIGINT NOT NULL,
            chunk_bytes INTEGER NOT NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS orleansim_file_chunks(
            name TEXT NOT NULL,
            chunk INTEGER NOT NULL,
            data BYTEA NOT NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY(name, chunk));
        -- Uploads are mostly compressed media: store chunks out of line without trying to compress them again.
        ALTER TABLE orleansim_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
        """,
    ];

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({SchemaLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS orleansim_schema_version(
                    component TEXT PRIMARY KEY,
                    version INTEGER NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, cancellationToken);
            int current;
            await using (var select = new NpgsqlCommand("SELECT version FROM orleansim_schema_version WHERE component = @c", connection))
            {
                select.Parameters.AddWithValue("c", Component);
                current = await select.ExecuteScalarAsync(cancellationToken) is int version ? version : 0;
            }
            for (var step = current; step < Steps.Count; step++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, Steps[step], cancellationToken);
                await using (var bump = new NpgsqlCommand("""
                    INSERT INTO orleansim_schema_version(component, version) VALUES(@c, @v)
                    ON CONFLICT(component) DO UPDATE SET version = excluded.version, updated_at = now()
                    """, connection))
                {
                    bump.Parameters.AddWithValue("c", Component);
                    bump.Parameters.AddWithValue("v", step + 1);
                    await bump.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({SchemaLockKey})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
