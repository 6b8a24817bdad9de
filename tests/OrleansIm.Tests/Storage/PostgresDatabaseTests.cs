using Npgsql;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>Group commit on PostgreSQL: per-operation failure isolation, completion only after commit, drain on dispose; schema steps.</summary>
public sealed class PostgresDatabaseTests : IAsyncLifetime
{
    private static readonly string[] ItemsSchema = ["CREATE TABLE items(id BIGINT PRIMARY KEY, note TEXT)"];

    private PostgresTestSchema _db = null!;

    public async Task InitializeAsync()
    {
        _db = await PostgresTestSchema.CreateAsync();
        await _db.Database.EnsureSchemaAsync("items", ItemsSchema);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_failing_operation_rolls_back_only_itself()
    {
        // Queued without awaiting, so they share batches; the outcome must not depend on how they are grouped.
        var writes = Enumerable.Range(1, 200).Select(i => _db.Database.WriteAsync($"k{i % 3}", async c =>
        {
            await InsertAsync(c, i);
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
        Assert.Equal(Enumerable.Range(1, 200).Where(i => i % 10 != 0).Select(i => (long)i), await IdsAsync(_db.Database));
    }

    [Fact]
    public async Task Queued_writes_on_one_key_commit_together_in_batches_of_at_most_MaxBatchSize()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = _db.Database.CommittedBatches;
        // Hold the key's writer loop inside one operation while 500 more queue up behind it.
        var blocker = _db.Database.WriteAsync("key", async c =>
        {
            entered.SetResult();
            await gate.Task;
            return await InsertAsync(c, 0);
        });
        await entered.Task;
        var writes = Enumerable.Range(1, 500).Select(i => _db.Database.WriteAsync("key", c => InsertAsync(c, i))).ToList();

        gate.SetResult();
        await blocker;
        await Task.WhenAll(writes);

        // The blocker's own batch, then full batches and one partial one.
        Assert.Equal(1 + (500 + PostgresDatabase.MaxBatchSize - 1) / PostgresDatabase.MaxBatchSize, _db.Database.CommittedBatches - before);
        Assert.Equal(501, (await IdsAsync(_db.Database)).Count);
    }

    [Fact]
    public async Task One_blocked_writer_loop_does_not_hold_up_the_others()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _db.Database.WriteAsync("blocked", async c =>
        {
            entered.SetResult();
            await gate.Task;
            return await InsertAsync(c, 0);
        });
        await entered.Task;

        // Keys spread over the loops: those not sharing the blocked loop complete while it is stuck.
        var writes = Enumerable.Range(1, 64).Select(i => _db.Database.WriteAsync($"key{i}", c => InsertAsync(c, i))).ToList();
        await Eventually.True(() => writes.Count(w => w.IsCompletedSuccessfully) > 0);
        Assert.False(blocker.IsCompleted);

        gate.SetResult();
        await blocker;
        await Task.WhenAll(writes);
        Assert.Equal(65, (await IdsAsync(_db.Database)).Count);
    }

    [Fact]
    public async Task A_constraint_violation_fails_only_its_own_caller()
    {
        await _db.Database.WriteAsync("k", c => InsertAsync(c, 1));

        var duplicate = _db.Database.WriteAsync("k", c => InsertAsync(c, 1));
        var other = _db.Database.WriteAsync("k", c => InsertAsync(c, 2));

        var ex = await Assert.ThrowsAsync<PostgresException>(() => duplicate);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, ex.SqlState);
        await other;
        Assert.Equal([1L, 2L], await IdsAsync(_db.Database));
    }

    [Fact]
    public async Task Completed_writes_are_visible_to_readers_and_to_a_new_instance()
    {
        await _db.Database.WriteAsync("k", c => InsertAsync(c, 5));
        Assert.Equal([5L], await IdsAsync(_db.Database));

        await using var other = new PostgresDatabase(_db.ConnectionString);
        Assert.Equal([5L], await IdsAsync(other));
    }

    [Fact]
    public async Task Dispose_commits_everything_already_queued()
    {
        var writes = Enumerable.Range(1, 500).Select(i => _db.Database.WriteAsync($"k{i}", c => InsertAsync(c, i))).ToList();

        var reopened = await _db.ReopenAsync();

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        Assert.Equal(500, (await IdsAsync(reopened)).Count);
    }

    [Fact]
    public async Task A_batch_chosen_as_deadlock_victim_is_retried_and_both_writers_succeed()
    {
        await _db.Database.WriteAsync("seed", async c => { await InsertAsync(c, 1); await InsertAsync(c, 2); });
        // Two silos lock rows 1 and 2 in opposite order; each waits until the other holds its first row.
        await using var other = new PostgresDatabase(_db.ConnectionString);
        var firstLocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondLocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attemptsA = 0;
        var a = _db.Database.WriteAsync("k", async c =>
        {
            Interlocked.Increment(ref attemptsA);
            await UpdateAsync(c, 1, "a");
            firstLocked.TrySetResult();
            await secondLocked.Task; // on a retry this has long completed: no second deadlock
            return await UpdateAsync(c, 2, "a");
        });
        var attemptsB = 0;
        var b = other.WriteAsync("k", async c =>
        {
            Interlocked.Increment(ref attemptsB);
            await UpdateAsync(c, 2, "b");
            secondLocked.TrySetResult();
            await firstLocked.Task;
            return await UpdateAsync(c, 1, "b");
        });

        await Task.WhenAll(a, b);

        Assert.Equal(3, attemptsA + attemptsB); // exactly one of them ran twice
        // One writer's pair wholly after the other's: both rows carry the same note, never a mix.
        var notes = await _db.Database.ReadAsync(async c =>
        {
            await using var command = new NpgsqlCommand("SELECT COUNT(DISTINCT note) FROM items", c);
            return (long)(await command.ExecuteScalarAsync())!;
        });
        Assert.Equal(1, notes);
    }

    [Fact]
    public async Task Writes_after_dispose_are_rejected()
    {
        var database = new PostgresDatabase(_db.ConnectionString);
        await database.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => { _ = database.WriteAsync("k", c => InsertAsync(c, 1)); });
        await Assert.ThrowsAsync<ObjectDisposedException>(() => IdsAsync(database));
    }

    [Fact]
    public async Task Readers_cannot_write()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() => _db.Database.ReadAsync(c => InsertAsync(c, 1)));
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, ex.SqlState);
    }

    [Fact]
    public async Task Schema_steps_run_once_each_and_new_steps_are_applied_later()
    {
        string[] v1 = ["CREATE TABLE widgets(id BIGINT PRIMARY KEY)"];
        string[] v2 = [.. v1, "ALTER TABLE widgets ADD COLUMN name TEXT"];

        // Several silos starting at once: without the lock and the version table, CREATE TABLE would fail.
        var databases = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(_db.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(databases.Select(d => d.EnsureSchemaAsync("widgets", v1)));
            await Task.WhenAll(databases.Select(d => d.EnsureSchemaAsync("widgets", v2)));
            // An older silo (fewer steps) on a newer schema leaves it alone.
            await databases[0].EnsureSchemaAsync("widgets", v1);
        }
        finally
        {
            foreach (var database in databases) await database.DisposeAsync();
        }

        Assert.Equal(2, await _db.Database.ReadAsync(c => ScalarAsync<int>(c, "SELECT version FROM orleansim_schema_version WHERE component = 'widgets'")));
        Assert.Equal(1L, await _db.Database.ReadAsync(c => ScalarAsync<long>(c,
            "SELECT COUNT(*) FROM information_schema.columns " +
            "WHERE table_schema = current_schema() AND table_name = 'widgets' AND column_name = 'name'")));
    }

    private static async Task<int> InsertAsync(NpgsqlConnection connection, long id)
    {
        await using var command = new NpgsqlCommand("INSERT INTO items(id, note) VALUES(@id, 'x')", connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> UpdateAsync(NpgsqlConnection connection, long id, string note)
    {
        await using var command = new NpgsqlCommand("UPDATE items SET note = @note WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("note", note);
        return await command.ExecuteNonQueryAsync();
    }

    private static Task<List<long>> IdsAsync(PostgresDatabase database) => database.ReadAsync(async c =>
    {
        await using var command = new NpgsqlCommand("SELECT id FROM items ORDER BY id", c);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return ids;
    });

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
