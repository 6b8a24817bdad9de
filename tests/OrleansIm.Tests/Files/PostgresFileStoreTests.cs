using System.Net;
using System.Net.Http.Headers;
using Npgsql;
using OrleansIm.Gateway.Files;
using OrleansIm.Tests.EndToEnd;
using OrleansIm.Tests.Storage;
using Xunit;

namespace OrleansIm.Tests.Files;

/// <summary>
/// The file store every gateway of a cluster shares, against real PostgreSQL (ORLEANSIM_TEST_PG), each test in a schema
/// of its own: two store instances (two gateways) on one database, chunking, limits, cleanup, and two nodes serving
/// each other's uploads over HTTP.
/// </summary>
public sealed class PostgresFileStoreTests : IAsyncLifetime
{
    private const int ChunkBytes = 1000;
    private PostgresTestSchema _db = null!;

    public async Task InitializeAsync() => _db = await PostgresTestSchema.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_file_stored_through_one_gateway_is_read_whole_and_in_slices_through_another()
    {
        await using var first = new PostgresFileStore(_db.ConnectionString, ChunkBytes);
        await using var second = new PostgresFileStore(_db.ConnectionString, ChunkBytes);
        await Task.WhenAll(first.InitializeAsync(CancellationToken.None), second.InitializeAsync(CancellationToken.None));
        var content = FileHttp.RandomBytes(10 * ChunkBytes + 321);
        var name = FileNames.New("mp4");

        var stored = await first.SaveAsync(name, "video/mp4", new MemoryStream(content), long.MaxValue, CancellationToken.None);

        Assert.Equal(content.Length, stored.Length);
        Assert.Equal(11, await ScalarAsync("SELECT count(*) FROM orleansim_file_chunks WHERE name = @n", name));
        var opened = await second.OpenAsync(name, CancellationToken.None);
        Assert.NotNull(opened);
        await using (opened.Content)
        {
            Assert.Equal("video/mp4", opened.File.ContentType);
            Assert.Equal(content.Length, opened.Content.Length);
            var whole = new MemoryStream();
            await opened.Content.CopyToAsync(whole);
            Assert.Equal(content, whole.ToArray());

            // A slice across a chunk boundary, as a range request reads it.
            opened.Content.Seek(2 * ChunkBytes - 7, SeekOrigin.Begin);
            var slice = new byte[1500];
            await opened.Content.ReadExactlyAsync(slice);
            Assert.Equal(content[(2 * ChunkBytes - 7)..(2 * ChunkBytes - 7 + 1500)], slice);
        }
    }

    [Fact]
    public async Task A_file_past_the_limit_or_an_upload_that_breaks_leaves_no_rows()
    {
        await using var store = new PostgresFileStore(_db.ConnectionString, ChunkBytes);

        await Assert.ThrowsAsync<FileTooLargeException>(() =>
            store.SaveAsync(FileNames.New("png"), "image/png", new MemoryStream(FileHttp.RandomBytes(5 * ChunkBytes)), 3 * ChunkBytes, CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() =>
            store.SaveAsync(FileNames.New("png"), "image/png", new BreakingStream(4 * ChunkBytes), long.MaxValue, CancellationToken.None));

        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM orleansim_file_chunks"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM orleansim_files"));
    }

    [Fact]
    public async Task Unknown_and_invalid_names_open_nothing_and_chunks_left_by_a_crash_are_swept()
    {
        await using var store = new PostgresFileStore(_db.ConnectionString, ChunkBytes);
        await store.InitializeAsync(CancellationToken.None);
        Assert.Null(await store.OpenAsync(FileNames.New("jpg"), CancellationToken.None));
        Assert.Null(await store.OpenAsync("../orleansim_files", CancellationToken.None));

        // A gateway that died mid-upload two hours ago left a chunk without a file row; a fresh one within the hour may still be uploading.
        await ScalarAsync("INSERT INTO orleansim_file_chunks(name, chunk, data, created_at) VALUES(@n, 0, '\\x00', now() - interval '2 hours')", "0123456789abcdef0123456789abcdef.jpg");
        await ScalarAsync("INSERT INTO orleansim_file_chunks(name, chunk, data) VALUES(@n, 0, '\\x00')", "fedcba9876543210fedcba9876543210.jpg");
        await using var restarted = new PostgresFileStore(_db.ConnectionString, ChunkBytes);
        await restarted.InitializeAsync(CancellationToken.None);

        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM orleansim_file_chunks"));
    }

    [Fact]
    public async Task Two_nodes_on_one_database_serve_each_others_uploads_over_http()
    {
        var shared = new Dictionary<string, string?>
        {
            ["Gateway:Files:Store"] = "Postgres",
            ["ConnectionStrings:Postgres"] = _db.ConnectionString,
        };
        await using var uploader = await TestNode.StartAsync(shared);
        await using var server = await TestNode.StartAsync(shared);
        var content = FileHttp.RandomBytes(600_000);

        var url = await FileHttp.UploadOkAsync(uploader.Http, content, "image/webp", "photo.webp", FileHttp.AppHeaders());

        // The same path on the other node.
        var elsewhere = new Uri(server.BaseUri, url.PathAndQuery);
        using var whole = await server.Http.GetAsync(elsewhere);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/webp", whole.Content.Headers.ContentType!.MediaType);

        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, elsewhere);
        rangeRequest.Headers.Range = new RangeHeaderValue(262_000, 263_999);
        using var range = await server.Http.SendAsync(rangeRequest);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(content[262_000..264_000], await range.Content.ReadAsByteArrayAsync());

        // Nothing went to either node's directory.
        Assert.False(Directory.Exists(Path.Combine(uploader.DataDirectory, "files")));
    }

    private async Task<long> ScalarAsync(string sql, string? name = null)
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (name is not null) command.Parameters.AddWithValue("n", name);
        return await command.ExecuteScalarAsync() is long count ? count : 0;
    }

    /// <summary>An upload whose connection breaks after <paramref name="goodBytes"/> bytes.</summary>
    private sealed class BreakingStream(int goodBytes) : Stream
    {
        private int _sent;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _sent; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_sent >= goodBytes) throw new IOException("connection reset");
            var n = Math.Min(count, goodBytes - _sent);
            _sent += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
