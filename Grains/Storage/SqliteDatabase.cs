using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// One SQLite database file shared by every SQLite-backed store of a node.
/// <para>
/// Writes use <b>group commit</b>: a single writer connection drains a queue, runs every queued operation
/// (up to <see cref="MaxBatchSize"/>) in one transaction — each inside its own SAVEPOINT, so a failing
/// operation rolls back only itself — and commits once. With <c>synchronous=FULL</c> that is one fsync per
/// batch instead of one per write, while every caller still gets its result only after its data is durable.
/// </para>
/// <para>
/// The writer keeps its transaction-control statements and the hot statements of its operations
/// (<see cref="WriterCommand"/>) prepared across batches: at one message in flight per conversation a batch holds one
/// append, and parsing the same half-dozen statements for every one of them was ~7 % of a node's CPU.
/// </para>
/// <para>Reads run on separate pooled read-only connections; WAL lets them proceed while the writer commits.</para>
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    public const int MaxBatchSize = 256;

    private const int BusyTimeoutMs = 5000;

    /// <summary>WAL pages (4 KiB) between automatic checkpoints: the WAL file grows to ~40 MiB before one.</summary>
    private const int CheckpointPages = 10_000;

    /// <summary>The writer's page cache (SQLite's default is 2,000 KiB).</summary>
    private const int WriterCacheKiB = 16_384;

    private readonly SqliteConnection _writer;
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private bool _inBatch;
    private readonly string _readConnectionString;
    // Synchronous continuations are safe: the only reader is the writer thread blocked in WaitForWork, whose
    // continuation merely wakes it; a queued continuation would first wait for a free pool thread to wake it.
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;
    private long _committedBatches;

    public SqliteDatabase(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);

        var writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // the writer lives as long as this object; nothing to pool
        }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadOnly, // ReadAsync can never write behind the writer's back
            Pooling = true,
        }.ToString();

        _writer = new SqliteConnection(writeConnectionString);
        _writer.Open();
        // journal_mode is persistent in the file; the rest is per connection. The writer checkpoints every
        // CheckpointPages WAL pages instead of SQLite's 1,000: hot pages (each conversation's last B-tree leaves) are
        // rewritten by nearly every commit, and a checkpoint copies each page once however often the WAL rewrote it.
        Execute(_writer, $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={BusyTimeoutMs}; " +
                         $"PRAGMA wal_autocheckpoint={CheckpointPages}; PRAGMA cache_size=-{WriterCacheKiB};");

        // The writer blocks in SQLite (and in fsync) for every batch, so it has a thread of its own: on a
        // thread-pool thread each commit would take one of a small machine's few workers away from the grains.
        new Thread(RunWriter) { IsBackground = true, Name = "SQLite writer" }.Start();
    }

    public string DatabasePath { get; }

    /// <summary>Transactions the writer has committed; lets tests see that writes really are grouped.</summary>
    internal long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>
    /// Queues <paramref name="operation"/> for the writer. It runs inside the current batch transaction (use
    /// <c>connection.CreateCommand()</c>, which joins it; never begin or commit transactions yourself).
    /// The task completes after the batch has committed, or faults with the operation's own exception, in
    /// which case everything the operation did has been rolled back.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var pending = new PendingWrite<T>(operation);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(SqliteDatabase));
        return pending.Task;
    }

    public Task WriteAsync(Action<SqliteConnection> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return WriteAsync(connection =>
        {
            operation(connection);
            return true;
        });
    }

    /// <summary>
    /// Inside a write operation (on the writer, which runs them one at a time): the writer's command for
    /// <paramref name="sql"/>, prepared the first time and kept, its parameters cleared. Set the parameters and run it;
    /// do not dispose it. For statements an operation runs often with the same text (appends); one-off SQL uses
    /// <c>connection.CreateCommand()</c>.
    /// </summary>
    public SqliteCommand WriterCommand(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        if (!_inBatch) throw new InvalidOperationException("WriterCommand is only for use inside a write operation.");
        var command = Prepared(sql);
        command.Parameters.Clear();
        return command;
    }

    /// <summary>Runs <paramref name="operation"/> on a pooled read-only connection; sees every committed write.</summary>
    public Task<T> ReadAsync<T>(Func<SqliteConnection, T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Task.Run(() =>
        {
            using var connection = new SqliteConnection(_readConnectionString);
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout={BusyTimeoutMs};");
            return operation(connection);
        });
    }

    /// <summary>Runs idempotent DDL (<c>CREATE ... IF NOT EXISTS</c>) through the writer and waits for it.</summary>
    public void EnsureSchema(string ddl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ddl);
        WriteAsync(connection => Execute(connection, ddl)).GetAwaiter().GetResult();
    }

    /// <summary>Stops accepting writes, commits everything already queued, then closes all connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Writer.TryComplete();
        await _writerStopped.Task.ConfigureAwait(false);
        foreach (var command in _writerCommands.Values) command.Dispose();
        _writer.Dispose();
        // Pooled readers would otherwise keep the file (and its -wal/-shm) open after we are gone.
        using var forPool = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(forPool);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void RunWriter()
    {
        try
        {
            var batch = new List<PendingWrite>(MaxBatchSize);
            do
            {
                while (batch.Count < MaxBatchSize && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
                if (batch.Count == 0) continue;
                CommitBatch(batch);
                batch.Clear();
            }
            while (WaitForWork());
            _writerStopped.TrySetResult();
        }
        catch (Exception ex)
        {
            _writerStopped.TrySetException(ex);
        }
    }

    /// <summary>Blocks the writer thread until a write is queued (true) or the queue is completed and empty (false).</summary>
    private bool WaitForWork()
    {
        var ready = _queue.Reader.WaitToReadAsync();
        return ready.IsCompleted ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }

    private void CommitBatch(List<PendingWrite> batch)
    {
        var failures = new Exception?[batch.Count];
        // A lone operation needs no savepoint: rolling the transaction back undoes exactly that operation.
        var savepoints = batch.Count > 1;
        _inBatch = true;
        try
        {
            Control("BEGIN IMMEDIATE");
            try
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    if (savepoints) Control("SAVEPOINT op");
                    try
                    {
                        batch[i].Execute(_writer);
                    }
                    catch (Exception ex) when (savepoints)
                    {
                        failures[i] = ex;
                        // If this throws, SQLite already aborted the whole transaction (e.g. disk full):
                        // the outer catch then fails the whole batch, which is the truth.
                        Control("ROLLBACK TO op");
                    }
                    if (savepoints) Control("RELEASE op");
                }
                Control("COMMIT");
            }
            catch
            {
                RollBackQuietly();
                throw;
            }
            Interlocked.Increment(ref _committedBatches);
        }
        catch (Exception batchFailure)
        {
            // Nothing of this batch is committed: every operation that had not failed on its own fails now (a lone
            // operation's own exception is the batch's failure).
            for (var i = 0; i < batch.Count; i++) failures[i] ??= batchFailure;
        }
        finally
        {
            _inBatch = false;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure) batch[i].Fail(failure);
            else batch[i].Complete();
        }
    }

    /// <summary>Transaction control on the writer.</summary>
    private void Control(string sql) => Prepared(sql).ExecuteNonQuery();

    /// <summary>The writer's kept command for <paramref name="sql"/>; SQLite prepares it on its first run.</summary>
    private SqliteCommand Prepared(string sql)
    {
        if (!_writerCommands.TryGetValue(sql, out var command))
        {
            command = _writer.CreateCommand();
            command.CommandText = sql;
            _writerCommands[sql] = command;
        }
        return command;
    }

    /// <summary>Ends a failed batch's transaction; SQLite may already have rolled it back (an I/O error, a full disk).</summary>
    private void RollBackQuietly()
    {
        try
        {
            Control("ROLLBACK");
        }
        catch (SqliteException)
        {
            // "cannot rollback - no transaction is active": nothing left to undo.
        }
    }

    private static int Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private abstract class PendingWrite
    {
        public abstract void Execute(SqliteConnection connection);
        public abstract void Complete();
        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, T> operation) : PendingWrite
    {
        // Asynchronous continuations: callers must never run their code on the writer loop.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void Execute(SqliteConnection connection) => _result = operation(connection);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
