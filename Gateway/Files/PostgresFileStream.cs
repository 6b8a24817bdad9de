using Npgsql;

namespace OrleansIm.Gateway.Files;

/// <summary>
/// A read-only, seekable stream over one file's chunks in PostgreSQL: each read fetches the chunk it needs (one
/// short query, no connection held between reads), so a range request reads only the chunks it covers.
/// </summary>
public sealed class PostgresFileStream(NpgsqlDataSource dataSource, string name, long length, int chunkBytes) : Stream
{
    private long _position;
    private int _cachedIndex = -1;
    private byte[] _cached = [];

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        return _position = target;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0) return 0;
        var index = (int)(_position / chunkBytes);
        if (index != _cachedIndex)
        {
            _cached = await LoadChunkAsync(index, cancellationToken);
            _cachedIndex = index;
        }
        var offset = (int)(_position - (long)index * chunkBytes);
        var count = Math.Min(buffer.Length, _cached.Length - offset);
        if (count <= 0) throw new IOException($"File '{name}' is shorter in the database than its recorded length.");
        _cached.AsMemory(offset, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async Task<byte[]> LoadChunkAsync(int index, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand("SELECT data FROM orleansim_file_chunks WHERE name = @n AND chunk = @c");
        select.Parameters.AddWithValue("n", name);
        select.Parameters.AddWithValue("c", index);
        return await select.ExecuteScalarAsync(cancellationToken) as byte[]
            ?? throw new IOException($"Chunk {index} of file '{name}' is missing from the database.");
    }
}
