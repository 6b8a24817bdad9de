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

    /// <summary>
    /// Recall, delete-for-self and clear-history (added after the first schema): run on every start after
    /// <see cref="Schema"/>, idempotent, so a data directory written by an older node opens and gains them. The
    /// recalled column is added only when missing (SQLite has no ADD COLUMN IF NOT EXISTS). Per-user rows are keyed by
    /// conversation first, so a conversation's delete and a viewer's read both use the primary key.
    /// </summary>
    private const string RecallSchema = """
        CREATE TABLE IF NOT EXISTS hidden_messages(
            conv_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY(conv_id, user_id, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS cleared_history(
            conv_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            cleared_seq INTEGER NOT NULL,
            PRIMARY KEY(conv_id, user_id)) WITHOUT ROWID;
        """;

    /// <summary>
    /// Ids of messages stored before ids named their seq (<see cref="MessageIds"/>): those are random, so they are found
    /// here, filled once from the messages when the store first opens a file without it (or one an older node wrote to
    /// again) — that also drops the old msg_id index, which every append had to update.
    /// </summary>
    private const string LegacyIdsSchema = """
        CREATE TABLE IF NOT EXISTS legacy_msg_ids(
            conv_id TEXT NOT NULL,
            msg_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY(conv_id, msg_id)) WITHOUT ROWID;
        """;

    /// <summary>What a viewer does not see: messages up to their cleared point and those they deleted for themselves.</summary>
    private const string ViewerFilter = """
         AND seq > COALESCE((SELECT c.cleared_seq FROM cleared_history c WHERE c.conv_id = @conv_id AND c.user_id = @viewer), 0)
         AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.conv_id = @conv_id AND h.user_id = @viewer AND h.seq = messages.seq)
        """;

    private const string Columns =
        "conv_id, seq, msg_id, from_client, type, text, attr, url, ctime, no_sync, mention_all, mention_client_ids, client_msg_id";

    /// <summary>Read by every select; not part of <see cref="Columns"/> because appends never set it.</summary>
    private const string SelectColumns = Columns + ", recalled";

    // The append path's statements, run on the writer as kept prepared commands (SqliteDatabase.WriterCommand).
    private const string SelectByClientMsgIdSql =
        $"SELECT {SelectColumns} FROM messages WHERE conv_id = @conv_id AND from_client = @from_client AND client_msg_id = @client_msg_id";

    private const string InsertSql = $"""
        INSERT INTO messages({Columns})
        VALUES(@conv_id, @seq, @msg_id, @from_client, @type, @text, @attr, @url, @ctime, @no_sync, @mention_all,
               @mention_client_ids, @client_msg_id)
        ON CONFLICT DO NOTHING
        """;

    private readonly SqliteDatabase _database;

    public SqliteMessageStore(SqliteDatabase database)
    {
        _database = database;
        _database.EnsureSchema(Schema);
        // The later schema steps, in one commit.
        _database.WriteAsync(connection =>
        {
            AddRecallSchema(connection);
            MoveOldIdsToLegacyTable(connection);
        }).GetAwaiter().GetResult();
    }

    public Task<(ChatMessage Stored, bool Duplicate)> AppendAsync(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _database.WriteAsync(connection => AppendOne(connection, message));
    }

    public Task<IReadOnlyList<(ChatMessage Stored, bool Duplicate)>> AppendBatchAsync(IReadOnlyList<ChatMessage> messages)
    {
        MessageStoreArguments.CheckAppendBatch(messages);
        // One write operation: its savepoint makes the batch all or nothing, and it commits with the writer's batch.
        return _database.WriteAsync<IReadOnlyList<(ChatMessage, bool)>>(connection =>
        {
            var results = new List<(ChatMessage, bool)>(messages.Count);
            var seq = messages[0].Seq;
            foreach (var message in messages)
            {
                var (stored, duplicate) = AppendOne(connection, message.WithSeq(seq));
                if (!duplicate) seq++;
                results.Add((stored, duplicate));
            }
            return results;
        });
    }

    /// <summary>
    /// Runs on the writer, which runs operations one at a time. Inserts first — the unique keys refuse a taken seq and a
    /// repeated client_msg_id — and only when refused looks at what refused it, so a new message costs one statement.
    /// </summary>
    private (ChatMessage Stored, bool Duplicate) AppendOne(SqliteConnection connection, ChatMessage message)
    {
        if (Insert(message)) return (message with { Transient = false }, false);

        if (message.ClientMsgId is not null)
        {
            var lookup = _database.WriterCommand(SelectByClientMsgIdSql);
            lookup.Parameters.AddWithValue("@conv_id", message.ConvId);
            lookup.Parameters.AddWithValue("@from_client", message.FromClient);
            lookup.Parameters.AddWithValue("@client_msg_id", message.ClientMsgId);
            // Scoped: the kept statement is reset before the next one runs.
            using (var reader = lookup.ExecuteReader())
            {
                if (reader.Read()) return (ReadMessage(reader), true);
            }
        }

        var occupant = QuerySingle(connection, "conv_id = @conv_id AND seq = @seq",
            ("@conv_id", message.ConvId), ("@seq", message.Seq))!;
        // The same message written again (a retried append) is a duplicate, not a conflict.
        if (occupant.MsgId == message.MsgId) return (occupant, true);
        throw new SequenceConflictException(message.ConvId, message.Seq);
    }

    public Task<long> GetLastSeqAsync(string convId) => _database.ReadAsync(connection =>
        (long)Scalar(connection, "SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conv_id = @conv_id", convId));

    public Task<long> CountAsync(string convId, string? viewerId = null) => _database.ReadAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM messages WHERE conv_id = @conv_id" + (viewerId is null ? "" : ViewerFilter);
        AddParameters(command, [("@conv_id", convId)], viewerId);
        return (long)command.ExecuteScalar()!;
    });

    public Task<IReadOnlyList<ChatMessage>> GetPageAsync(string convId, int page, int size, string? viewerId = null)
    {
        MessageStoreArguments.CheckPage(page, size);
        return Query(For(viewerId, "ORDER BY seq DESC LIMIT @limit OFFSET @offset"), viewerId,
            ("@conv_id", convId), ("@limit", size), ("@offset", (long)(page - 1) * size));
    }

    public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string convId, long afterSeq, int limit, string? viewerId = null)
    {
        MessageStoreArguments.CheckLimit(limit);
        return Query(For(viewerId, "AND seq > @seq ORDER BY seq ASC LIMIT @limit"), viewerId,
            ("@conv_id", convId), ("@seq", afterSeq), ("@limit", limit));
    }

    public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string convId, long beforeSeq, int limit, string? viewerId = null)
    {
        MessageStoreArguments.CheckLimit(limit);
        return Query(For(viewerId, "AND seq < @seq ORDER BY seq DESC LIMIT @limit"), viewerId,
            ("@conv_id", convId), ("@seq", beforeSeq), ("@limit", limit));
    }

    public Task<IReadOnlyList<ChatMessage>> FindByMsgIdsAsync(string convId, IReadOnlyCollection<string> msgIds)
    {
        ArgumentNullException.ThrowIfNull(msgIds);
        if (msgIds.Count == 0) return Task.FromResult<IReadOnlyList<ChatMessage>>([]);
        var ids = msgIds.Distinct(StringComparer.Ordinal).ToList();
        var parameters = new List<(string, object)> { ("@conv_id", convId) };
        var idNames = new List<string>();
        var seqNames = new List<string>();
        for (var i = 0; i < ids.Count; i++)
        {
            idNames.Add("@id" + i);
            parameters.Add(("@id" + i, ids[i]));
            if (!MessageIds.TryGetSeq(ids[i], out var seq)) continue;
            seqNames.Add("@seq" + i);
            parameters.Add(("@seq" + i, seq));
        }
        // An id names its seq (or, from before, is in legacy_msg_ids); either way the stored id must be the one asked for.
        var idList = string.Join(", ", idNames);
        var bySeq = seqNames.Count == 0 ? "" : $"seq IN ({string.Join(", ", seqNames)}) OR ";
        return Query($"conv_id = @conv_id AND msg_id IN ({idList}) AND ({bySeq}" +
                     $"seq IN (SELECT l.seq FROM legacy_msg_ids l WHERE l.conv_id = @conv_id AND l.msg_id IN ({idList})))", null, [.. parameters]);
    }

    public Task<ChatMessage?> RecallAsync(string convId, long seq) => _database.WriteAsync(connection =>
    {
        using (var update = connection.CreateCommand())
        {
            update.CommandText = """
                UPDATE messages SET text = NULL, attr = NULL, url = NULL, mention_all = 0, mention_client_ids = NULL, recalled = 1
                WHERE conv_id = @conv_id AND seq = @seq
                """;
            update.Parameters.AddWithValue("@conv_id", convId);
            update.Parameters.AddWithValue("@seq", seq);
            if (update.ExecuteNonQuery() == 0) return null;
        }
        return QuerySingle(connection, "conv_id = @conv_id AND seq = @seq", ("@conv_id", convId), ("@seq", seq));
    });

    public Task<bool> HideForUserAsync(string userId, string convId, IReadOnlyCollection<long> seqs, int maxHidden)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        // The single writer runs this alone, so counting and inserting cannot race another hide.
        return _database.WriteAsync(connection =>
        {
            var cleared = ClearedSeq(connection, userId, convId);
            var wanted = seqs.Where(seq => seq > cleared).Distinct().ToList();
            var existing = HiddenSeqs(connection, userId, convId);
            var added = wanted.Where(seq => !existing.Contains(seq)).ToList();
            if (existing.Count + added.Count > maxHidden) return false;
            foreach (var seq in added)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO hidden_messages(conv_id, user_id, seq) VALUES(@conv_id, @user_id, @seq)";
                insert.Parameters.AddWithValue("@conv_id", convId);
                insert.Parameters.AddWithValue("@user_id", userId);
                insert.Parameters.AddWithValue("@seq", seq);
                insert.ExecuteNonQuery();
            }
            return true;
        });
    }

    public Task<long> ClearForUserAsync(string userId, string convId, long upToSeq) => _database.WriteAsync(connection =>
    {
        using (var upsert = connection.CreateCommand())
        {
            upsert.CommandText = """
                INSERT INTO cleared_history(conv_id, user_id, cleared_seq) VALUES(@conv_id, @user_id, @seq)
                ON CONFLICT(conv_id, user_id) DO UPDATE SET cleared_seq = MAX(cleared_seq, excluded.cleared_seq);
                DELETE FROM hidden_messages WHERE conv_id = @conv_id AND user_id = @user_id
                    AND seq <= (SELECT cleared_seq FROM cleared_history WHERE conv_id = @conv_id AND user_id = @user_id);
                """;
            upsert.Parameters.AddWithValue("@conv_id", convId);
            upsert.Parameters.AddWithValue("@user_id", userId);
            upsert.Parameters.AddWithValue("@seq", upToSeq);
            upsert.ExecuteNonQuery();
        }
        return ClearedSeq(connection, userId, convId);
    });

    public Task DeleteConversationAsync(string convId) => _database.WriteAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM messages WHERE conv_id = @conv_id;
            DELETE FROM legacy_msg_ids WHERE conv_id = @conv_id;
            DELETE FROM hidden_messages WHERE conv_id = @conv_id;
            DELETE FROM cleared_history WHERE conv_id = @conv_id;
            """;
        command.Parameters.AddWithValue("@conv_id", convId);
        command.ExecuteNonQuery();
    });

    private static void AddRecallSchema(SqliteConnection connection)
    {
        using (var probe = connection.CreateCommand())
        {
            probe.CommandText = "SELECT COUNT(*) FROM pragma_table_info('messages') WHERE name = 'recalled'";
            if ((long)probe.ExecuteScalar()! == 0)
            {
                using var alter = connection.CreateCommand();
                alter.CommandText = "ALTER TABLE messages ADD COLUMN recalled INTEGER NOT NULL DEFAULT 0";
                alter.ExecuteNonQuery();
            }
        }
        using var ddl = connection.CreateCommand();
        ddl.CommandText = RecallSchema;
        ddl.ExecuteNonQuery();
    }

    /// <summary>
    /// Once per file (and again if an older node recreated the msg_id index): copies every stored id into
    /// legacy_msg_ids and drops the index. New ids name their seq and are never copied.
    /// </summary>
    private static void MoveOldIdsToLegacyTable(SqliteConnection connection)
    {
        using var probe = connection.CreateCommand();
        probe.CommandText = """
            SELECT (SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'legacy_msg_ids'),
                   (SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = 'messages_msg_id')
            """;
        using (var reader = probe.ExecuteReader())
        {
            reader.Read();
            if (reader.GetInt64(0) == 1 && reader.GetInt64(1) == 0) return;
        }
        using var move = connection.CreateCommand();
        move.CommandText = LegacyIdsSchema + """
            INSERT OR IGNORE INTO legacy_msg_ids(conv_id, msg_id, seq) SELECT conv_id, msg_id, seq FROM messages;
            DROP INDEX IF EXISTS messages_msg_id;
            """;
        move.ExecuteNonQuery();
    }

    private static long ClearedSeq(SqliteConnection connection, string userId, string convId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT cleared_seq FROM cleared_history WHERE conv_id = @conv_id AND user_id = @user_id";
        command.Parameters.AddWithValue("@conv_id", convId);
        command.Parameters.AddWithValue("@user_id", userId);
        return command.ExecuteScalar() is long seq ? seq : 0;
    }

    private static HashSet<long> HiddenSeqs(SqliteConnection connection, string userId, string convId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM hidden_messages WHERE conv_id = @conv_id AND user_id = @user_id";
        command.Parameters.AddWithValue("@conv_id", convId);
        command.Parameters.AddWithValue("@user_id", userId);
        using var reader = command.ExecuteReader();
        var seqs = new HashSet<long>();
        while (reader.Read()) seqs.Add(reader.GetInt64(0));
        return seqs;
    }

    /// <summary>The where clause of a conversation's read, with the viewer's filter when there is a viewer.</summary>
    private static string For(string? viewerId, string rest) =>
        "conv_id = @conv_id" + (viewerId is null ? " " : ViewerFilter + " ") + rest;

    private static void AddParameters(SqliteCommand command, (string Name, object Value)[] parameters, string? viewerId)
    {
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        if (viewerId is not null) command.Parameters.AddWithValue("@viewer", viewerId);
    }

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

    /// <summary>Inserts unless (conv_id, seq) or (conv_id, from_client, client_msg_id) is taken; returns whether it inserted.</summary>
    private bool Insert(ChatMessage m)
    {
        var command = _database.WriterCommand(InsertSql);
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

    private Task<IReadOnlyList<ChatMessage>> Query(string whereAndOrder, string? viewerId, params (string Name, object Value)[] parameters) =>
        _database.ReadAsync<IReadOnlyList<ChatMessage>>(connection =>
        {
            using var command = CreateSelect(connection, whereAndOrder, parameters, viewerId);
            using var reader = command.ExecuteReader();
            var messages = new List<ChatMessage>();
            while (reader.Read()) messages.Add(ReadMessage(reader));
            return messages;
        });

    private static ChatMessage? QuerySingle(SqliteConnection connection, string where, params (string Name, object Value)[] parameters)
    {
        using var command = CreateSelect(connection, where, parameters, null);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadMessage(reader) : null;
    }

    private static SqliteCommand CreateSelect(SqliteConnection connection, string whereAndOrder, (string Name, object Value)[] parameters, string? viewerId)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SelectColumns} FROM messages WHERE {whereAndOrder}";
        AddParameters(command, parameters, viewerId);
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
        ClientMsgId: r.IsDBNull(12) ? null : r.GetString(12),
        Recalled: r.GetInt64(13) != 0);
}
