using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Storage;

/// <summary>A <see cref="SqliteDatabase"/> in its own temp directory, which can be reopened and is deleted at the end.</summary>
public sealed class SqliteTestDatabase : IAsyncDisposable
{
    private readonly string _directory =
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orleansim-tests", Guid.NewGuid().ToString("N"));

    public SqliteTestDatabase()
    {
        // A nested, not-yet-existing directory also checks that SqliteDatabase creates it.
        Path = System.IO.Path.Combine(_directory, "db", "node.db");
        Database = new SqliteDatabase(Path);
    }

    public string Path { get; }

    public SqliteDatabase Database { get; private set; }

    /// <summary>Closes the database as a process exit would (after draining) and opens the same file again.</summary>
    public async Task<SqliteDatabase> ReopenAsync()
    {
        await Database.DisposeAsync();
        Database = new SqliteDatabase(Path);
        return Database;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
