using Microsoft.Data.Sqlite;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

public sealed class SqliteMessageStoreTests : MessageStoreContractTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<IMessageStore> CreateStoreAsync() => Task.FromResult<IMessageStore>(new SqliteMessageStore(_db.Database));

    public override async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Acked_appends_survive_reopening_the_database()
    {
        var acked = await Task.WhenAll(Enumerable.Range(1, 50).Select(seq => Store.AppendAsync(Message(seq, clientMsgId: $"cm{seq}"))));

        Store = new SqliteMessageStore(await _db.ReopenAsync());

        Assert.Equal(50, await Store.CountAsync(Conv));
        Assert.Equal(acked.Select(a => a.Stored).OrderBy(m => m.Seq), await Store.GetAfterAsync(Conv, 0, 100));
        // Idempotency survives too: the unique index is on disk, not in memory.
        Assert.True((await Store.AppendAsync(Message(51, clientMsgId: "cm7"))).Duplicate);
    }

    [Fact]
    public async Task Random_ids_stored_before_ids_named_their_seq_are_still_found_and_the_msg_id_index_goes()
    {
        // A file as the node before left it: random ids, and the msg_id index every append had to update.
        var oldIds = new[] { MessageIds.NewRandom(), MessageIds.NewRandom() };
        await _db.Database.WriteAsync(c => Execute(c, $"""
            CREATE INDEX messages_msg_id ON messages(conv_id, msg_id);
            DROP TABLE legacy_msg_ids;
            INSERT INTO messages(conv_id, seq, msg_id, from_client, type, text, ctime, no_sync, mention_all)
                VALUES ('{Conv}', 1, '{oldIds[0]}', 'alice', 0, 'one', 1, 0, 0), ('{Conv}', 2, '{oldIds[1]}', 'alice', 0, 'two', 2, 0, 0);
            """));

        Store = new SqliteMessageStore(await _db.ReopenAsync());
        var draft = Message(0) with { MsgId = MessageIds.NewRandom() };
        var third = (await Store.AppendAsync(draft.WithSeq(3))).Stored;

        Assert.Equal([1L, 2, 3], (await Store.FindByMsgIdsAsync(Conv, [oldIds[0], oldIds[1], third.MsgId])).Select(m => m.Seq).Order());
        Assert.Equal(0L, await _db.Database.ReadAsync(c => Count(c, "type = 'index' AND name = 'messages_msg_id'")));

        // An older node that opened the file again recreated the index and wrote a random id: found after the next start.
        var later = MessageIds.NewRandom();
        await _db.Database.WriteAsync(c => Execute(c, $"""
            CREATE INDEX messages_msg_id ON messages(conv_id, msg_id);
            INSERT INTO messages(conv_id, seq, msg_id, from_client, type, text, ctime, no_sync, mention_all)
                VALUES ('{Conv}', 4, '{later}', 'alice', 0, 'four', 4, 0, 0);
            """));
        Store = new SqliteMessageStore(await _db.ReopenAsync());

        Assert.Equal([1L, 2, 4], (await Store.FindByMsgIdsAsync(Conv, [oldIds[0], oldIds[1], later])).Select(m => m.Seq).Order());
        Assert.Equal(0L, await _db.Database.ReadAsync(c => Count(c, "type = 'index' AND name = 'messages_msg_id'")));
    }

    private static int Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private static long Count(SqliteConnection connection, string schemaWhere)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM sqlite_schema WHERE {schemaWhere}";
        return (long)command.ExecuteScalar()!;
    }
}
