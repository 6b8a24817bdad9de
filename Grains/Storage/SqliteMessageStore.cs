using Microsoft.Data.Sqlite;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// <see cref="IMessageStore"/> on the node's <see cref="SqliteDatabase"/>. Appends go through group commit,
/// so a busy conversation costs one fsync per batch, and an append returns only once it is durable.
/// </summary>
public sealed class SqliteMessageStore : IMessageStore
{
    private const string Schema = """
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
        """;

    private const string Columns =
        "conv_id, seq, msg_id, from_client, type, text, attr, url, ctime, no_sync, mention_all, mention_client_ids, client_msg_id";

    private readonly SqliteDatabase _database;

    public SqliteMessageStore(SqliteDatabase database)
    {
        _database = database;
        _database.EnsureSchema(Schema);
    }

    public Task<(ChatMessage Stored, bool Duplicate)> AppendAsync(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // The writer runs operations one at a time, so check-then-insert cannot race another append.
        return _database.WriteAsync(connection =>
        {
            if (message.ClientMsgId is not null)
            {
                var earlier = QuerySingle(connection,
                    "conv_id = @conv_id AND from_client = @from_client AND client_msg_id = @client_msg_id",
                    ("@conv_id", message.ConvId), ("@from_client", message.FromClient), ("@client_msg_id", message.ClientMsgId));
                if (earlier is not null) return (earlier, true);
            }

            if (Insert(connection, message)) return (message with { Transient = false }, false);

            var occupant = QuerySingle(connection, "conv_id = @conv_id AND seq = @seq",
                ("@conv_id", message.ConvId), ("@seq", message.Seq))!;
            // The same message written again (a retried append) is a duplicate, not a conflict.
            if (occupant.MsgId == message.MsgId) return (occupant, true);
            throw new SequenceConflictException(message.ConvId, message.Seq);
        });
    }

    public Task<long> GetLastSeqAsync(string convId) => _database.ReadAsync(connection =>
        (long)Scalar(connection, "SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conv_id = @conv_id", convId));

    public Task<long> CountAsync(string convId) => _database.ReadAsync(connection =>
        (long)Scalar(connection, "SELECT COUNT(*) FROM messages WHERE conv_id = @conv_id", convId));

    public Task<IReadOnlyList<ChatMessage>> GetPageAsync(string convId, int page, int size)
    {
        MessageStoreArguments.CheckPage(page, size);
        return Query("conv_id = @conv_id ORDER BY seq DESC LIMIT @limit OFFSET @offset",
            ("@conv_id", convId), ("@limit", size), ("@offset", (long)(page - 1) * size));
    }

    public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string convId, long afterSeq, int limit)
    {
        MessageStoreArguments.CheckLimit(limit);
        return Query("conv_id = @conv_id AND seq > @seq ORDER BY seq ASC LIMIT @limit",
            ("@conv_id", convId), ("@seq", afterSeq), ("@limit", limit));
    }

    public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string convId, long beforeSeq, int limit)
    {
        MessageStoreArguments.CheckLimit(limit);
        return Query("conv_id = @conv_id AND seq < @seq ORDER BY seq DESC LIMIT @limit",
            ("@conv_id", convId), ("@seq", beforeSeq), ("@limit", limit));
    }

    public Task DeleteConversationAsync(string convId) => _database.WriteAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM messages WHERE conv_id = @conv_id";
        command.Parameters.AddWithValue("@conv_id", convId);
        command.ExecuteNonQuery();
    });

    public Task<IReadOnlyList<ChatMessage>> GetLastMessagesAsync(IReadOnlyList<string> convIds)
    {
        MessageStoreArguments.CheckBatch(convIds);
        // One read of the local file; each look-up is a seek at the end of the (conv_id, seq) key.
        return _database.ReadAsync<IReadOnlyList<ChatMessage>>(connection =>
        {
            var last = new List<ChatMessage>(convIds.Count);
            foreach (var convId in convIds)
            {
                if (QuerySingle(connection, "conv_id = @conv_id ORDER BY seq DESC LIMIT 1", ("@conv_id", convId)) is { } message)
                    last.Add(message);
            }
            return last;
        });
    }

    public Task<IReadOnlyDictionary<string, int>> CountUnreadAsync(string userId, IReadOnlyList<UnreadQuery> queries, int cap)
    {
        MessageStoreArguments.CheckBatch(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        return _database.ReadAsync<IReadOnlyDictionary<string, int>>(connection =>
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            using var command = connection.CreateCommand();
            // The inner LIMIT bounds each count to cap rows of the (conv_id, seq) key.
            command.CommandText = """
                SELECT COUNT(*) FROM (SELECT 1 FROM messages
                    WHERE conv_id = @conv_id AND seq > @seq AND from_client <> @user_id LIMIT @cap)
                """;
            var convParameter = command.Parameters.Add("@conv_id", SqliteType.Text);
            var seqParameter = command.Parameters.Add("@seq", SqliteType.Integer);
            command.Parameters.AddWithValue("@user_id", userId);
            command.Parameters.AddWithValue("@cap", cap);
            foreach (var query in queries)
            {
                convParameter.Value = query.ConvId;
                seqParameter.Value = query.AfterSeq;
                counts[query.ConvId] = (int)(long)command.ExecuteScalar()!;
            }
            return counts;
        });
    }

    /// <summary>Inserts unless (conv_id, seq) is taken; returns whether it inserted.</summary>
    private static bool Insert(SqliteConnection connection, ChatMessage m)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO messages({Columns})
            VALUES(@conv_id, @seq, @msg_id, @from_client, @type, @text, @attr, @url, @ctime, @no_sync, @mention_all,
                   @mention_client_ids, @client_msg_id)
            ON CONFLICT(conv_id, seq) DO NOTHING
            """;
        var p = command.Parameters;
        p.AddWithValue("@conv_id", m.ConvId);
        p.AddWithValue("@seq", m.Seq);
        p.AddWithValue("@msg_id", m.MsgId);
        p.AddWithValue("@from_client", m.FromClient);
        p.AddWithValue("@type", m.Type);
        p.AddWithValue("@text", (object?)m.Text ?? DBNull.Value);
        p.AddWithValue("@attr", (object?)m.Attr ?? DBNull.Value);
        p.AddWithValue("@url", (object?)m.Url ?? DBNull.Value);
        p.AddWithValue("@ctime", m.CTime);
        p.AddWithValue("@no_sync", m.NoSync);
        p.AddWithValue("@mention_all", m.MentionAll ? 1 : 0);
        p.AddWithValue("@mention_client_ids", (object?)m.MentionClientIds ?? DBNull.Value);
        p.AddWithValue("@client_msg_id", (object?)m.ClientMsgId ?? DBNull.Value);
        return command.ExecuteNonQuery() == 1;
    }

    private Task<IReadOnlyList<ChatMessage>> Query(string whereAndOrder, params (string Name, object Value)[] parameters) =>
        _database.ReadAsync<IReadOnlyList<ChatMessage>>(connection =>
        {
            using var command = CreateSelect(connection, whereAndOrder, parameters);
            using var reader = command.ExecuteReader();
            var messages = new List<ChatMessage>();
            while (reader.Read()) messages.Add(ReadMessage(reader));
            return messages;
        });

    private static ChatMessage? QuerySingle(SqliteConnection connection, string where, params (string Name, object Value)[] parameters)
    {
        using var command = CreateSelect(connection, where, parameters);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadMessage(reader) : null;
    }

    private static SqliteCommand CreateSelect(SqliteConnection connection, string whereAndOrder, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM messages WHERE {whereAndOrder}";
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static object Scalar(SqliteConnection connection, string sql, string convId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@conv_id", convId);
        return command.ExecuteScalar()!;
    }

    private static ChatMessage ReadMessage(SqliteDataReader r) => new(
        ConvId: r.GetString(0),
        Seq: r.GetInt64(1),
        MsgId: r.GetString(2),
        FromClient: r.GetString(3),
        Type: r.IsDBNull(4) ? 0 : r.GetInt32(4),
        Text: r.IsDBNull(5) ? null : r.GetString(5),
        Attr: r.IsDBNull(6) ? null : r.GetString(6),
        Url: r.IsDBNull(7) ? null : r.GetString(7),
        CTime: r.IsDBNull(8) ? 0 : r.GetInt64(8),
        Transient: false,
        NoSync: r.IsDBNull(9) ? 0 : r.GetInt32(9),
        MentionAll: !r.IsDBNull(10) && r.GetInt64(10) != 0,
        MentionClientIds: r.IsDBNull(11) ? null : r.GetString(11),
        ClientMsgId: r.IsDBNull(12) ? null : r.GetString(12));
}
