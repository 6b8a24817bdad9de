using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using OrleansIm.Tests.Storage;
using Xunit;

namespace OrleansIm.Tests.Recall;

/// <summary>
/// A message store written by the schema before recall (no recalled column, no per-user tables) opens, gains them,
/// and keeps its rows: SQLite on a file made with the old DDL, PostgreSQL on a schema at version 1.
/// </summary>
public sealed class MessageStoreMigrationTests
{
    private const string Conv = "0123456789abcdef0123456789abcdef";

    /// <summary>The messages table exactly as the node created it before recall (SqliteMessageStore, commit 5ce0e62).</summary>
    private const string OldSqliteSchema = """
        CREATE TABLE IF NOT EXISTS messages(
            conv_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            msg_id TEXT NOT NULL,
            from_client TEXT NOT NULL,
            type INTEGER,
            text TEXT,
            attr TEXT,
            url TEXT,
            ctime INTEGER,
            no_sync INTEGER,
            mention_all INTEGER,
            mention_client_ids TEXT,
            client_msg_id TEXT,
            PRIMARY KEY(conv_id, seq));
        CREATE UNIQUE INDEX IF NOT EXISTS messages_client_msg_id
            ON messages(conv_id, from_client, client_msg_id) WHERE client_msg_id IS NOT NULL;
        INSERT INTO messages VALUES('0123456789abcdef0123456789abcdef', 1, 'old-1', 'alice', -1, 'old one', NULL, NULL, 1600000000000, 0, 0, NULL, 'c1');
        INSERT INTO messages VALUES('0123456789abcdef0123456789abcdef', 2, 'old-2', 'alice', -1, 'old two', NULL, NULL, 1600000000001, 0, 0, NULL, NULL);
        """;

    /// <summary>Step 1 of PostgresMessageStore's schema, as applied by the node before recall (commit 5ce0e62).</summary>
    private const string OldPostgresStep = """
        CREATE TABLE IF NOT EXISTS orleansim_messages(
            conv_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            msg_id TEXT NOT NULL,
            from_client TEXT NOT NULL,
            type INTEGER NOT NULL,
            text TEXT,
            attr TEXT,
            url TEXT,
            ctime BIGINT NOT NULL,
            no_sync INTEGER NOT NULL,
            mention_all BOOLEAN NOT NULL,
            mention_client_ids TEXT,
            client_msg_id TEXT,
            PRIMARY KEY(conv_id, seq));
        CREATE UNIQUE INDEX IF NOT EXISTS orleansim_messages_client_msg_id
            ON orleansim_messages(conv_id, from_client, client_msg_id) WHERE client_msg_id IS NOT NULL;
        """;

    [Fact]
    public async Task A_sqlite_file_with_the_old_messages_table_opens_and_gains_recall()
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleansim-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "old.db");
        try
        {
            await using (var old = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
            {
                old.Open();
                await using var command = old.CreateCommand();
                command.CommandText = OldSqliteSchema;
                command.ExecuteNonQuery();
            }

            await using (var database = new SqliteDatabase(path))
            {
                await AssertMigratedAsync(new SqliteMessageStore(database));
            }
            // Opening again runs the migration again: it must be a no-op on a migrated file.
            await using (var database = new SqliteDatabase(path))
            {
                var store = new SqliteMessageStore(database);
                Assert.True((await store.GetAfterAsync(Conv, 0, 10)).Single(m => m.Seq == 1).Recalled);
                Assert.Equal(new long[] { 3L }, (await store.GetAfterAsync(Conv, 0, 10, "bob")).Select(m => m.Seq));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_postgres_schema_at_version_1_opens_and_gains_recall()
    {
        await using var db = await PostgresTestSchema.CreateAsync();
        await db.Database.EnsureSchemaAsync("messages", [OldPostgresStep]);
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO orleansim_messages VALUES('{Conv}', 1, 'old-1', 'alice', -1, 'old one', NULL, NULL, 1600000000000, 0, FALSE, NULL, 'c1');
                INSERT INTO orleansim_messages VALUES('{Conv}', 2, 'old-2', 'alice', -1, 'old two', NULL, NULL, 1600000000001, 0, FALSE, NULL, NULL);
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }

        await AssertMigratedAsync(new PostgresMessageStore(db.Database));

        var reopened = new PostgresMessageStore(await db.ReopenAsync());
        Assert.True((await reopened.GetAfterAsync(Conv, 0, 10)).Single(m => m.Seq == 1).Recalled);
        Assert.Equal(new long[] { 3L }, (await reopened.GetAfterAsync(Conv, 0, 10, "bob")).Select(m => m.Seq));
    }

    /// <summary>Old rows read back unrecalled; recall, hide and clear work on them; new appends go on from seq 2.</summary>
    private static async Task AssertMigratedAsync(IMessageStore store)
    {
        var old = await store.GetAfterAsync(Conv, 0, 10);
        Assert.Equal(["old one", "old two"], old.Select(m => m.Text));
        Assert.All(old, m => Assert.False(m.Recalled));

        var recalled = await store.RecallAsync(Conv, 1);
        Assert.True(recalled!.Recalled);
        Assert.Null(recalled.Text);
        Assert.Equal("old-1", (await store.FindByMsgIdsAsync(Conv, ["old-1"])).Single().MsgId);

        await store.AppendAsync(new ChatMessage(Conv, 3, "new-3", "bob", MessageTypes.Text, "new", null, null, 1600000000002, false, 0, false, null, null));
        Assert.Equal(1, await store.ClearForUserAsync("bob", Conv, 1));
        Assert.True(await store.HideForUserAsync("bob", Conv, [2], 10));
        Assert.Equal(new long[] { 3L }, (await store.GetAfterAsync(Conv, 0, 10, "bob")).Select(m => m.Seq));
        Assert.Equal(3, await store.CountAsync(Conv));
    }
}
