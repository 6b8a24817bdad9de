using Microsoft.Data.Sqlite;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>Group commit: per-operation failure isolation, completion only after commit, drain on dispose.</summary>
public sealed class SqliteDatabaseTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _db = new();

    public Task InitializeAsync()
    {
        _db.Database.EnsureSchema("CREATE TABLE IF NOT EXISTS items(id INTEGER PRIMARY KEY, note TEXT)");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Creates_the_missing_directory_and_uses_wal()
    {
        Assert.True(File.Exists(_db.Path));
        var mode = await _db.Database.ReadAsync(c => Scalar(c, "PRAGMA journal_mode"));
        Assert.Equal("wal", mode);
    }

    [Fact]
    public async Task A_failing_operation_rolls_back_only_itself()
    {
        // Queued without awaiting, so they share batches; the outcome must not depend on how they are grouped.
        var writes = Enumerable.Range(1, 200).Select(i => _db.Database.WriteAsync(c =>
        {
            Insert(c, i);
            if (i % 10 == 0) throw new InvalidOperationException($"op {i} fails after inserting");
            return i;
        })).ToList();

        for (var i = 1; i <= writes.Count; i++)
        {
            if (i % 10 == 0)
            {
                var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[i - 1]);
                Assert.Equal($"op {i} fails after inserting", ex.Message);
            }
            else
            {
                Assert.Equal(i, await writes[i - 1]);
            }
        }
        var ids = await _db.Database.ReadAsync(c => Ids(c));
        Assert.Equal(Enumerable.Range(1, 200).Where(i => i % 10 != 0).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task Queued_writes_commit_together_in_batches_of_at_most_256()
    {
        using var gate = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = _db.Database.CommittedBatches;
        // Hold the writer inside one operation while 500 more queue up behind it.
        var blocker = _db.Database.WriteAsync(c =>
        {
            entered.SetResult();
            gate.Wait();
            return Insert(c, 0);
        });
        await entered.Task;
        var writes = Enumerable.Range(1, 500).Select(i => _db.Database.WriteAsync(c => Insert(c, i))).ToList();

        gate.Set();
        await blocker;
        await Task.WhenAll(writes);

        // The blocker's own batch, then 256 + 244.
        Assert.Equal(3, _db.Database.CommittedBatches - before);
        Assert.Equal(501, (await _db.Database.ReadAsync(c => Ids(c))).Count);
    }

    [Fact]
    public async Task A_constraint_violation_fails_only_its_own_caller()
    {
        await _db.Database.WriteAsync(c => Insert(c, 1));

        var duplicate = _db.Database.WriteAsync(c => Insert(c, 1));
        var other = _db.Database.WriteAsync(c => Insert(c, 2));

        var ex = await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(19, ex.SqliteErrorCode); // SQLITE_CONSTRAINT
        await other;
        Assert.Equal([1L, 2L], await _db.Database.ReadAsync(c => Ids(c)));
    }

    [Fact]
    public async Task A_lone_failing_operation_leaves_nothing_and_the_writer_goes_on()
    {
        // Awaited one at a time, so each is a batch of its own (no savepoint): the transaction's rollback must undo it.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _db.Database.WriteAsync(c =>
        {
            Insert(c, 7);
            throw new InvalidOperationException("fails after inserting");
        }));
        Assert.Equal("fails after inserting", ex.Message);
        await _db.Database.WriteAsync(c => Insert(c, 8));

        Assert.Equal([8L], await _db.Database.ReadAsync(c => Ids(c)));
    }

    [Fact]
    public async Task A_kept_writer_command_is_prepared_once_and_rebound_each_time()
    {
        const string sql = "INSERT INTO items(id, note) VALUES(@id, @note)";
        SqliteCommand? first = null;
        for (var i = 1; i <= 3; i++)
        {
            var id = i;
            var command = await _db.Database.WriteAsync(c =>
            {
                var kept = _db.Database.WriterCommand(sql);
                Assert.Empty(kept.Parameters); // nothing left over from the last use
                kept.Parameters.AddWithValue("@id", id);
                kept.Parameters.AddWithValue("@note", "n" + id);
                kept.ExecuteNonQuery();
                return kept;
            });
            first ??= command;
            Assert.Same(first, command);
        }

        Assert.Equal([1L, 2L, 3L], await _db.Database.ReadAsync(c => Ids(c)));
        Assert.Equal("n3", await _db.Database.ReadAsync(c => Scalar(c, "SELECT note FROM items WHERE id = 3")));
        Assert.Throws<InvalidOperationException>(() => _db.Database.WriterCommand(sql)); // only inside an operation
    }

    [Fact]
    public async Task Completed_writes_are_visible_to_readers()
    {
        await _db.Database.WriteAsync(c => Insert(c, 5));

        Assert.Equal([5L], await _db.Database.ReadAsync(c => Ids(c)));
    }

    [Fact]
    public async Task Dispose_commits_everything_already_queued()
    {
        var writes = Enumerable.Range(1, 500).Select(i => _db.Database.WriteAsync(c => Insert(c, i))).ToList();

        var reopened = await _db.ReopenAsync();

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        Assert.Equal(500, (await reopened.ReadAsync(c => Ids(c))).Count);
    }

    [Fact]
    public async Task Writes_run_on_the_writer_thread_and_callers_resume_off_it()
    {
        var writerThreads = new List<(int Id, bool Pooled)>();
        for (var i = 1; i <= 20; i++)
        {
            await _db.Database.WriteAsync(c =>
            {
                writerThreads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
                return Insert(c, i);
            });
            // The caller's continuation must not run on the writer thread, or it would hold up every later commit.
            Assert.NotEqual(writerThreads[^1].Id, Environment.CurrentManagedThreadId);
        }

        // Blocking SQLite calls (and fsync) never take a thread-pool worker, and one thread runs them all.
        Assert.All(writerThreads, t => Assert.False(t.Pooled));
        Assert.Single(writerThreads.Select(t => t.Id).Distinct());
    }

    [Fact]
    public async Task Writes_after_dispose_are_rejected()
    {
        var database = new SqliteDatabase(Path.Combine(Path.GetDirectoryName(_db.Path)!, "other.db"));
        await database.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => { _ = database.WriteAsync(c => Insert(c, 1)); });
        Assert.Throws<ObjectDisposedException>(() => { _ = database.ReadAsync(c => Ids(c)); });
    }

    [Fact]
    public async Task Readers_cannot_write()
    {
        await Assert.ThrowsAsync<SqliteException>(() => _db.Database.ReadAsync(c => Insert(c, 1)));
    }

    private static int Insert(SqliteConnection connection, long id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO items(id, note) VALUES(@id, 'x')";
        command.Parameters.AddWithValue("@id", id);
        return command.ExecuteNonQuery();
    }

    private static List<long> Ids(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM items ORDER BY id";
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar())!;
    }
}
