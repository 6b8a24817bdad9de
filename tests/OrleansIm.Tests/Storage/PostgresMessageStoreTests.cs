using Npgsql;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class PostgresMessageStoreTests : MessageStoreContractTests
{
    private PostgresTestSchema _db = null!;

    protected override async Task<IMessageStore> CreateStoreAsync()
    {
        _db = await PostgresTestSchema.CreateAsync();
        return new PostgresMessageStore(_db.Database);
    }

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Acked_appends_survive_reopening_the_database()
    {
        var acked = await Task.WhenAll(Enumerable.Range(1, 50).Select(seq => Store.AppendAsync(Message(seq, clientMsgId: $"cm{seq}"))));

        Store = new PostgresMessageStore(await _db.ReopenAsync());

        Assert.Equal(50, await Store.CountAsync(Conv));
        Assert.Equal(acked.Select(a => a.Stored).OrderBy(m => m.Seq), await Store.GetAfterAsync(Conv, 0, 100));
        // Idempotency survives too: the unique index is in the database, not in memory.
        Assert.True((await Store.AppendAsync(Message(51, clientMsgId: "cm7"))).Duplicate);
    }

    [Fact]
    public async Task Concurrent_appends_share_transactions()
    {
        const int appends = 1000;
        var batchesBefore = _db.Database.CommittedBatches;
        var writesBefore = _db.Database.CommittedWrites;

        // Eight conversations, so several writer loops are busy at once.
        var results = await Task.WhenAll(Enumerable.Range(0, appends).Select(i =>
            Store.AppendAsync(Message(i / 8 + 1, conv: $"conv{i % 8}", clientMsgId: $"cm{i}"))));

        Assert.All(results, r => Assert.False(r.Duplicate));
        for (var c = 0; c < 8; c++) Assert.Equal(appends / 8, await Store.CountAsync($"conv{c}"));
        Assert.Equal(appends, _db.Database.CommittedWrites - writesBefore);
        var batches = _db.Database.CommittedBatches - batchesBefore;
        Assert.True(batches < appends / 4, $"{appends} appends took {batches} transactions");
    }

    [Fact]
    public async Task Appends_from_two_silos_to_one_conversation_conflict_correctly()
    {
        // Different processes do not share writer loops: the database, not the queue, has to arbitrate.
        await using var other = new PostgresDatabase(_db.ConnectionString);
        var otherStore = new PostgresMessageStore(other);

        var attempts = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? Store : otherStore;
            try
            {
                return (await store.AppendAsync(Message(1, from: $"user{i}"))).Duplicate ? "duplicate" : "won";
            }
            catch (SequenceConflictException)
            {
                return "conflict";
            }
        })).ToList();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r == "won");
        Assert.Equal(39, results.Count(r => r == "conflict"));
        Assert.Equal(1, await Store.CountAsync(Conv));
    }

    [Fact]
    public async Task Random_ids_stored_before_ids_named_their_seq_are_still_found_after_the_schema_step()
    {
        // Back to schema version 2 as the silos before left it: the msg_id index, random ids, no legacy table.
        var oldIds = new[] { MessageIds.NewRandom(), MessageIds.NewRandom() };
        await using (var connection = new NpgsqlConnection(_db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"""
                DROP TABLE orleansim_legacy_msg_ids;
                CREATE INDEX orleansim_messages_msg_id ON orleansim_messages(conv_id, msg_id);
                UPDATE orleansim_schema_version SET version = 2 WHERE component = 'messages';
                INSERT INTO orleansim_messages(conv_id, seq, msg_id, from_client, type, text, ctime, no_sync, mention_all)
                    VALUES ('{Conv}', 1, '{oldIds[0]}', 'alice', 0, 'one', 1, 0, FALSE), ('{Conv}', 2, '{oldIds[1]}', 'alice', 0, 'two', 2, 0, FALSE);
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        Store = new PostgresMessageStore(await _db.ReopenAsync());
        var draft = Message(0) with { MsgId = MessageIds.NewRandom() };
        var third = (await Store.AppendAsync(draft.WithSeq(3))).Stored;

        Assert.Equal([1L, 2, 3], (await Store.FindByMsgIdsAsync(Conv, [oldIds[0], oldIds[1], third.MsgId])).Select(m => m.Seq).Order());
        await using (var connection = new NpgsqlConnection(_db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'orleansim_messages_msg_id' AND schemaname = current_schema()", connection);
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        }
    }
}
