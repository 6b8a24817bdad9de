using Npgsql;
using NpgsqlTypes;

namespace OrleansIm.Gateway.Files;

/// <summary>
/// Files in PostgreSQL, so every gateway of a cluster serves what any of them stored: the bytes as numbered
/// <c>bytea</c> chunks (<c>orleansim_file_chunks</c>), then one row in <c>orleansim_files</c> that makes the file
/// visible. Each chunk is its own short statement, so a slow client never holds a connection or a transaction open
/// for the length of its upload, and memory per upload is one chunk. An upload that fails has its chunks deleted;
/// chunks a crashed gateway left without a file row are swept at start-up once they are an hour old. Reads fetch one
/// chunk at a time the same way.
/// </summary>
public sealed class PostgresFileStore : IFileStore, IAsyncDisposable, IDisposable
{
    /// <summary>256 KiB: few rows per file, little memory per upload or download.</summary>
    public const int DefaultChunkBytes = 256 * 1024;

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _chunkBytes;
    private readonly SemaphoreSlim _initialization = new(1, 1);
    private volatile bool _initialized;

    public PostgresFileStore(string connectionString, int chunkBytes = DefaultChunkBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _chunkBytes = chunkBytes;
    }

    /// <summary>Creates or migrates the tables and sweeps abandoned chunks; repeated by the first request after a failure (database down at start-up).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized) return;
        await _initialization.WaitAsync(cancellationToken);
        try
        {
            if (_initialized) return;
            await PostgresFileSchema.EnsureAsync(_dataSource, cancellationToken);
            await using var sweep = _dataSource.CreateCommand("""
                DELETE FROM orleansim_file_chunks c
                WHERE c.created_at < now() - interval '1 hour'
                  AND NOT EXISTS (SELECT 1 FROM orleansim_files f WHERE f.name = c.name)
                """);
            await sweep.ExecuteNonQueryAsync(cancellationToken);
            _initialized = true;
        }
        finally
        {
            _initialization.Release();
        }
    }

    public async Task<StoredFile> SaveAsync(string name, string contentType, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        if (!FileNames.IsValid(name)) throw new ArgumentException($"'{name}' is not a stored file name.", nameof(name));
        await InitializeAsync(cancellationToken);
        var buffer = new byte[_chunkBytes];
        long length = 0;
        try
        {
            for (var chunk = 0; ; chunk++)
            {
                var filled = await FillAsync(content, buffer, cancellationToken);
                if (filled == 0) break;
                length += filled;
                if (length > maxBytes) throw new FileTooLargeException(maxBytes);
                await using (var insert = _dataSource.CreateCommand("INSERT INTO orleansim_file_chunks(name, chunk, data) VALUES(@n, @c, @d)"))
                {
                    insert.Parameters.AddWithValue("n", name);
                    insert.Parameters.AddWithValue("c", chunk);
                    insert.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Bytea) { Value = new ArraySegment<byte>(buffer, 0, filled) });
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
                if (filled < buffer.Length) break;
            }

            await using var file = _dataSource.CreateCommand("""
                INSERT INTO orleansim_files(name, content_type, length, chunk_bytes) VALUES(@n, @t, @l, @b)
                RETURNING created_at
                """);
            file.Parameters.AddWithValue("n", name);
            file.Parameters.AddWithValue("t", contentType);
            file.Parameters.AddWithValue("l", length);
            file.Parameters.AddWithValue("b", _chunkBytes);
            var created = (DateTime)(await file.ExecuteScalarAsync(cancellationToken))!;
            return new StoredFile(name, contentType, length, new DateTimeOffset(created, TimeSpan.Zero));
        }
        catch
        {
            await DeleteChunksAsync(name);
            throw;
        }
    }

    public async Task<OpenedFile?> OpenAsync(string name, CancellationToken cancellationToken)
    {
        if (!FileNames.IsValid(name)) return null;
        await InitializeAsync(cancellationToken);
        await using var select = _dataSource.CreateCommand("SELECT content_type, length, chunk_bytes, created_at FROM orleansim_files WHERE name = @n");
        select.Parameters.AddWithValue("n", name);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var file = new StoredFile(name, reader.GetString(0), reader.GetInt64(1),
            new DateTimeOffset(reader.GetFieldValue<DateTime>(3), TimeSpan.Zero));
        return new OpenedFile(file, new PostgresFileStream(_dataSource, name, file.Length, reader.GetInt32(2)));
    }

    public ValueTask DisposeAsync()
    {
        _initialization.Dispose();
        return _dataSource.DisposeAsync();
    }

    public void Dispose()
    {
        _initialization.Dispose();
        _dataSource.Dispose();
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0) filled += read;
        return filled;
    }

    private async Task DeleteChunksAsync(string name)
    {
        try
        {
            await using var delete = _dataSource.CreateCommand("DELETE FROM orleansim_file_chunks WHERE name = @n");
            delete.Parameters.AddWithValue("n", name);
            await delete.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The database is gone too: the start-up sweep removes these chunks later; the upload's own error is what matters.
        }
    }
}
