using System.Threading.Channels;
using Npgsql;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// One PostgreSQL database shared by every PostgreSQL-backed store of a silo.
/// <para>
/// Writes use <b>group commit</b>: each of <see cref="WriterCount"/> writer loops drains its own queue, runs
/// every queued operation (up to <see cref="MaxBatchSize"/>) in one transaction — each inside its own
/// SAVEPOINT, so a failing operation rolls back only itself — and commits once. That is one WAL flush per
/// batch instead of one per write, while every caller still gets its result only after its data is committed.
/// Several loops keep one slow commit from stalling everybody; writes are routed to a loop by a partition key,
/// so writes to the same key run in order on one loop and never contend with each other across loops.
/// </para>
/// <para>Reads go straight to the pool, on connections whose transactions are read-only.</para>
/// <para>
/// Schema: each store declares numbered steps per component (<see cref="EnsureSchema"/>); applied steps are
/// recorded in <c>orleansim_schema_version</c>, and an advisory lock serializes concurrent starts of several silos.
/// </para>
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>
    /// At most this many operations per transaction. Each runs in its own subtransaction, and PostgreSQL caches
    /// only 64 subtransaction ids per backend: beyond that every other session's snapshot "overflows" and
    /// visibility checks fall back to pg_subtrans lookups, slowing the whole server.
    /// </summary>
    public const int MaxBatchSize = 64;
    public const int DefaultWriterCount = 4;

    // A deadlock or serialization failure aborts the whole transaction, not one statement's savepoint:
    // the batch is retried from scratch, which is why operations must only touch the database.
    private const int MaxBatchAttempts = 3;

    // Distinct from the membership table's lock (726354); held only while schema steps run.
    internal const long SchemaLockKey = 726355;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _readDataSource;
    private readonly Channel<PendingWrite>[] _queues;
    private readonly Task[] _writerLoops;
    private int _disposed;
    private long _committedBatches;
    private long _committedWrites;

    public PostgresDatabase(string connectionString, int writerCount = DefaultWriterCount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(writerCount, 1);
        _dataSource = NpgsqlDataSource.Create(connectionString);

        // Read-only by default, so ReadAsync can never write behind the writers' backs (and skip group commit).
        var read = new NpgsqlConnectionStringBuilder(connectionString);
        read.Options = $"{read.Options} -c default_transaction_read_only=on".Trim();
        _readDataSource = NpgsqlDataSource.Create(read);

        _queues = new Channel<PendingWrite>[writerCount];
        _writerLoops = new Task[writerCount];
        for (var i = 0; i < writerCount; i++)
        {
            var queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
            _queues[i] = queue;
            _writerLoops[i] = Task.Run(() => WriterLoopAsync(queue.Reader));
        }
    }

    public int WriterCount => _queues.Length;

    /// <summary>Transactions the writers have committed; lets tests see that writes really are grouped.</summary>
    internal long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>Operations committed (successful ones only); compare with <see cref="CommittedBatches"/>.</summary>
    internal long CommittedWrites => Interlocked.Read(ref _committedWrites);

    /// <summary>
    /// Queues <paramref name="operation"/> on the writer loop that owns <paramref name="partitionKey"/>. It runs
    /// inside the current batch transaction (use <c>connection.CreateCommand()</c>, which joins it; never begin,
    /// commit or roll back yourself). The task completes after the batch has committed, or faults with the
    /// operation's own exception, in which case everything the operation did has been rolled back.
    /// The operation may run more than once (a batch that hits a deadlock is retried), so it must only
    /// touch the database.
    /// </summary>
    public Task<T> WriteAsync<T>(string partitionKey, Func<NpgsqlConnection, Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(operation);
        var pending = new PendingWrite<T>(operation);
        var queue = _queues[(int)((uint)StringComparer.Ordinal.GetHashCode(partitionKey) % (uint)_queues.Length)];
        if (!queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(PostgresDatabase));
        return pending.Task;
    }

    public Task WriteAsync(string partitionKey, Func<NpgsqlConnection, Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return WriteAsync(partitionKey, async connection =>
        {
            await operation(connection).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Runs <paramref name="operation"/> on a pooled read-only connection; sees every committed write.</summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var connection = await _readDataSource.OpenConnectionAsync().ConfigureAwait(false);
        return await operation(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings <paramref name="component"/>'s schema up to date: runs each of <paramref name="steps"/> not yet
    /// recorded in <c>orleansim_schema_version</c>, each in its own transaction together with its version bump.
    /// Steps are append-only: never edit a released step, add a new one. A database already ahead of
    /// <paramref name="steps"/> (a newer silo in a rolling upgrade) is left alone.
    /// </summary>
    public async Task EnsureSchemaAsync(string component, IReadOnlyList<string> steps, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(steps);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Several silos starting at once would race on CREATE TABLE; the lock makes one do it, the rest see it done.
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({SchemaLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS orleansim_schema_version(
                    component TEXT PRIMARY KEY,
                    version INTEGER NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, cancellationToken).ConfigureAwait(false);

            int current;
            await using (var select = new NpgsqlCommand("SELECT version FROM orleansim_schema_version WHERE component = @c", connection))
            {
                select.Parameters.AddWithValue("c", component);
                current = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int version ? version : 0;
            }

            for (var step = current; step < steps.Count; step++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, steps[step], cancellationToken).ConfigureAwait(false);
                await using (var bump = new NpgsqlCommand("""
                    INSERT INTO orleansim_schema_version(component, version) VALUES(@c, @v)
                    ON CONFLICT(component) DO UPDATE SET version = excluded.version, updated_at = now()
                    """, connection))
                {
                    bump.Parameters.AddWithValue("c", component);
                    bump.Parameters.AddWithValue("v", step + 1);
                    await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({SchemaLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Blocking <see cref="EnsureSchemaAsync"/> for store constructors (DI factories are synchronous).</summary>
    public void EnsureSchema(string component, IReadOnlyList<string> steps) =>
        // Task.Run: never block on a continuation that wants the caller's synchronization context.
        Task.Run(() => EnsureSchemaAsync(component, steps)).GetAwaiter().GetResult();

    /// <summary>Stops accepting writes, commits everything already queued, then closes all connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var queue in _queues) queue.Writer.TryComplete();
        await Task.WhenAll(_writerLoops).ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await _readDataSource.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriterLoopAsync(ChannelReader<PendingWrite> reader)
    {
        var batch = new List<PendingWrite>(MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatchSize && reader.TryRead(out var pending)) batch.Add(pending);
            if (batch.Count == 0) continue;
            await CommitBatchAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task CommitBatchAsync(List<PendingWrite> batch)
    {
        var failures = new Exception?[batch.Count];
        for (var attempt = 1; ; attempt++)
        {
            Array.Clear(failures);
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
                // Savepoints as plain SQL so that "release the last one, open the next" is one round trip.
                await ExecuteAsync(connection, "SAVEPOINT op", CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    // After a rollback the savepoint still stands at the same place and can be reused as is.
                    if (i > 0 && failures[i - 1] is null)
                        await ExecuteAsync(connection, "RELEASE SAVEPOINT op; SAVEPOINT op", CancellationToken.None).ConfigureAwait(false);
                    try
                    {
                        await batch[i].ExecuteAsync(connection).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!IsRetryable(ex))
                    {
                        failures[i] = ex;
                        // If this throws, the connection or transaction is gone: the outer catch fails the batch.
                        await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT op", CancellationToken.None).ConfigureAwait(false);
                    }
                }
                await transaction.CommitAsync().ConfigureAwait(false);
                Interlocked.Increment(ref _committedBatches);
                Interlocked.Add(ref _committedWrites, failures.Count(f => f is null));
                break;
            }
            catch (Exception ex) when (IsRetryable(ex) && attempt < MaxBatchAttempts)
            {
                // The transaction was rolled back as a whole; run every operation again.
            }
            catch (Exception batchFailure)
            {
                // Nothing of this batch is committed (or, if the commit itself was lost, we cannot know):
                // every operation that had not failed on its own fails now.
                for (var i = 0; i < batch.Count; i++) failures[i] ??= batchFailure;
                break;
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure) batch[i].Fail(failure);
            else batch[i].Complete();
        }
    }

    // 40P01 deadlock_detected, 40001 serialization_failure: another transaction won; retrying can succeed.
    private static bool IsRetryable(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private abstract class PendingWrite
    {
        public abstract Task ExecuteAsync(NpgsqlConnection connection);
        public abstract void Complete();
        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<NpgsqlConnection, Task<T>> operation) : PendingWrite
    {
        // Asynchronous continuations: callers must never run their code on a writer loop.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override async Task ExecuteAsync(NpgsqlConnection connection) =>
            _result = await operation(connection).ConfigureAwait(false);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
