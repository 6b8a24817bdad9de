using Npgsql;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// <see cref="IMessageStore"/> on the silo's <see cref="PostgresDatabase"/>; same semantics as
/// <see cref="SqliteMessageStore"/>. Appends go through group commit and return only once committed.
/// </summary>
public sealed class PostgresMessageStore : IMessageStore
{
    private static readonly string[] SchemaSteps =
    [
        """
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
        """,
        // 2: recall, delete-for-self, clear-history. A constant default makes ADD COLUMN a catalog change (no rewrite).
        """
        ALTER TABLE orleansim_messages ADD COLUMN IF NOT EXISTS recalled BOOLEAN NOT NULL DEFAULT FALSE;
        CREATE INDEX IF NOT EXISTS orleansim_messages_msg_id ON orleansim_messages(conv_id, msg_id);
        CREATE TABLE IF NOT EXISTS orleansim_hidden_messages(
            conv_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            PRIMARY KEY(conv_id, user_id, seq));
        CREATE TABLE IF NOT EXISTS orleansim_cleared_history(
            conv_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            cleared_seq BIGINT NOT NULL,
            PRIMARY KEY(conv_id, user_id));
        """,
        // 3: ids name their seq (MessageIds), so appends no longer update an index on msg_id; the ids stored before
        // (random) move to a table of their own, which only finds them.
        """
        CREATE TABLE IF NOT EXISTS orleansim_legacy_msg_ids(
            conv_id TEXT NOT NULL,
            msg_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            PRIMARY KEY(conv_id, msg_id));
        INSERT INTO orleansim_legacy_msg_ids(conv_id, msg_id, seq)
            SELECT conv_id, msg_id, seq FROM orleansim_messages ON CONFLICT DO NOTHING;
        DROP INDEX IF EXISTS orleansim_messages_msg_id;
        """,
    ];

    /// <summary>What a viewer does not see: messages up to their cleared point and those they deleted for themselves.</summary>
    private const string ViewerFilter = """
         AND seq > COALESCE((SELECT c.cleared_seq FROM orleansim_cleared_history c WHERE c.conv_id = @conv_id AND c.user_id = @viewer), 0)
         AND NOT EXISTS (SELECT 1 FROM orleansim_hidden_messages h
                         WHERE h.conv_id = @conv_id AND h.user_id = @viewer AND h.seq = orleansim_messages.seq)
        """;

    private const string Columns =
        "conv_id, seq, msg_id, from_client, type, text, attr, url, ctime, no_sync, mention_all, mention_client_ids, client_msg_id";

    /// <summary>Read by every select; not part of <see cref="Columns"/> because appends never set it.</summary>
    private const string SelectColumns = Columns + ", recalled";

    // A conflicting row that vanishes before we can look at it (deleted concurrently) just means: try again.
    private const int MaxInsertAttempts = 3;

    private readonly PostgresDatabase _database;

    public PostgresMessageStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _database.EnsureSchema("messages", SchemaSteps);
    }

    public Task<(ChatMessage Stored, bool Duplicate)> AppendAsync(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _database.WriteAsync(message.ConvId, connection => AppendOneAsync(connection, message));
    }

    public Task<IReadOnlyList<(ChatMessage Stored, bool Duplicate)>> AppendBatchAsync(IReadOnlyList<ChatMessage> messages)
    {
        MessageStoreArguments.CheckAppendBatch(messages);
        // One write operation: its savepoint makes the batch all or nothing, and it commits with the writer's batch.
        return _database.WriteAsync<IReadOnlyList<(ChatMessage, bool)>>(messages[0].ConvId, async connection =>
        {
            var results = new List<(ChatMessage, bool)>(messages.Count);
            var seq = messages[0].Seq;
            foreach (var message in messages)
            {
                var (stored, duplicate) = await AppendOneAsync(connection, message.WithSeq(seq)).ConfigureAwait(false);
                if (!duplicate) seq++;
                results.Add((stored, duplicate));
            }
            return results;
        });
    }

    /// <summary>
    /// Unlike SQLite's single writer, other transactions (other writer loops, other silos) may append concurrently, so
    /// this inserts first and looks at what blocked it afterwards: ON CONFLICT DO NOTHING waits for an uncommitted
    /// conflicting row, and each later statement sees what that transaction committed.
    /// </summary>
    private static async Task<(ChatMessage Stored, bool Duplicate)> AppendOneAsync(NpgsqlConnection connection, ChatMessage message)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await InsertAsync(connection, message).ConfigureAwait(false)) return (message with { Transient = false }, false);

            if (message.ClientMsgId is not null)
            {
                var earlier = await QuerySingleAsync(connection,
                    "conv_id = @conv_id AND from_client = @from_client AND client_msg_id = @client_msg_id",
                    ("conv_id", message.ConvId), ("from_client", message.FromClient), ("client_msg_id", message.ClientMsgId)).ConfigureAwait(false);
                if (earlier is not null) return (earlier, true);
            }

            var occupant = await QuerySingleAsync(connection, "conv_id = @conv_id AND seq = @seq",
                ("conv_id", message.ConvId), ("seq", message.Seq)).ConfigureAwait(false);
            // The same message written again (a retried append) is a duplicate, not a conflict.
            if (occupant is not null && occupant.MsgId == message.MsgId) return (occupant, true);
            if (occupant is not null || attempt == MaxInsertAttempts) throw new SequenceConflictException(message.ConvId, message.Seq);
        }
    }

    public Task<long> GetLastSeqAsync(string convId) => _database.ReadAsync(connection =>
        ScalarAsync(connection, "SELECT COALESCE(MAX(seq), 0) FROM orleansim_messages WHERE conv_id = @conv_id", convId));

    public Task<long> CountAsync(string convId, string? viewerId = null) => _database.ReadAsync(async connection =>
    {
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*) FROM orleansim_messages WHERE conv_id = @conv_id" + (viewerId is null ? "" : ViewerFilter), connection);
        AddParameters(command, [("conv_id", convId)], viewerId);
        return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    });

    public Task<IReadOnlyList<ChatMessage>> GetPageAsync(string convId, int page, int size, string? viewerId = null)
    {
        MessageStoreArguments.CheckPage(page, size);
        return QueryAsync(For(viewerId, "ORDER BY seq DESC LIMIT @limit OFFSET @offset"), viewerId,
            ("conv_id", convId), ("limit", size), ("offset", (long)(page - 1) * size));
    }

    public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string convId, long afterSeq, int limit, string? viewerId = null)
    {
        MessageStoreArguments.CheckLimit(limit);
        return QueryAsync(For(viewerId, "AND seq > @seq ORDER BY seq ASC LIMIT @limit"), viewerId,
            ("conv_id", convId), ("seq", afterSeq), ("limit", limit));
    }

    public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string convId, long beforeSeq, int limit, string? viewerId = null)
    {
        MessageStoreArguments.CheckLimit(limit);
        return QueryAsync(For(viewerId, "AND seq < @seq ORDER BY seq DESC LIMIT @limit"), viewerId,
            ("conv_id", convId), ("seq", beforeSeq), ("limit", limit));
    }

    public Task<IReadOnlyList<ChatMessage>> FindByMsgIdsAsync(string convId, IReadOnlyCollection<string> msgIds)
    {
        ArgumentNullException.ThrowIfNull(msgIds);
        if (msgIds.Count == 0) return Task.FromResult<IReadOnlyList<ChatMessage>>([]);
        var ids = msgIds.Distinct(StringComparer.Ordinal).ToArray();
        var seqs = ids.Select(id => MessageIds.TryGetSeq(id, out var seq) ? seq : 0).Where(seq => seq > 0).ToArray();
        // An id names its seq (or, from before, is in the legacy table); either way the stored id must be the one asked for.
        return QueryAsync("""
            conv_id = @conv_id AND msg_id = ANY(@ids) AND (seq = ANY(@seqs)
                OR seq IN (SELECT l.seq FROM orleansim_legacy_msg_ids l WHERE l.conv_id = @conv_id AND l.msg_id = ANY(@ids)))
            """, null, ("conv_id", convId), ("ids", ids), ("seqs", seqs));
    }

    public Task<ChatMessage?> RecallAsync(string convId, long seq) => _database.WriteAsync(convId, async connection =>
    {
        await using (var update = new NpgsqlCommand("""
            UPDATE orleansim_messages SET text = NULL, attr = NULL, url = NULL, mention_all = FALSE, mention_client_ids = NULL, recalled = TRUE
            WHERE conv_id = @conv_id AND seq = @seq
            """, connection))
        {
            update.Parameters.AddWithValue("conv_id", convId);
            update.Parameters.AddWithValue("seq", seq);
            if (await update.ExecuteNonQueryAsync().ConfigureAwait(false) == 0) return null;
        }
        return await QuerySingleAsync(connection, "conv_id = @conv_id AND seq = @seq", ("conv_id", convId), ("seq", seq)).ConfigureAwait(false);
    });

    public Task<bool> HideForUserAsync(string userId, string convId, IReadOnlyCollection<long> seqs, int maxHidden)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        // One conversation grain makes a user's hides in it one at a time, so counting before inserting holds the cap.
        return _database.WriteAsync(convId, async connection =>
        {
            var cleared = await ClearedSeqAsync(connection, userId, convId).ConfigureAwait(false);
            var wanted = seqs.Where(seq => seq > cleared).Distinct().ToList();
            var existing = new HashSet<long>();
            await using (var select = new NpgsqlCommand(
                "SELECT seq FROM orleansim_hidden_messages WHERE conv_id = @conv_id AND user_id = @user_id", connection))
            {
                select.Parameters.AddWithValue("conv_id", convId);
                select.Parameters.AddWithValue("user_id", userId);
                await using var reader = await select.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false)) existing.Add(reader.GetInt64(0));
            }
            var added = wanted.Where(seq => !existing.Contains(seq)).ToArray();
            if (existing.Count + added.Length > maxHidden) return false;
            if (added.Length == 0) return true;
            await using var insert = new NpgsqlCommand("""
                INSERT INTO orleansim_hidden_messages(conv_id, user_id, seq) SELECT @conv_id, @user_id, unnest(@seqs)
                ON CONFLICT DO NOTHING
                """, connection);
            insert.Parameters.AddWithValue("conv_id", convId);
            insert.Parameters.AddWithValue("user_id", userId);
            insert.Parameters.AddWithValue("seqs", added);
            await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
            return true;
        });
    }

    public Task<long> ClearForUserAsync(string userId, string convId, long upToSeq) => _database.WriteAsync(convId, async connection =>
    {
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO orleansim_cleared_history(conv_id, user_id, cleared_seq) VALUES(@conv_id, @user_id, @seq)
            ON CONFLICT(conv_id, user_id) DO UPDATE SET cleared_seq = GREATEST(orleansim_cleared_history.cleared_seq, excluded.cleared_seq)
            """, connection))
        {
            upsert.Parameters.AddWithValue("conv_id", convId);
            upsert.Parameters.AddWithValue("user_id", userId);
            upsert.Parameters.AddWithValue("seq", upToSeq);
            await upsert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        var cleared = await ClearedSeqAsync(connection, userId, convId).ConfigureAwait(false);
        await using (var prune = new NpgsqlCommand(
            "DELETE FROM orleansim_hidden_messages WHERE conv_id = @conv_id AND user_id = @user_id AND seq <= @seq", connection))
        {
            prune.Parameters.AddWithValue("conv_id", convId);
            prune.Parameters.AddWithValue("user_id", userId);
            prune.Parameters.AddWithValue("seq", cleared);
            await prune.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        return cleared;
    });

    public Task DeleteConversationAsync(string convId) => _database.WriteAsync(convId, async connection =>
    {
        foreach (var table in (string[])["orleansim_messages", "orleansim_hidden_messages", "orleansim_cleared_history", "orleansim_legacy_msg_ids"])
        {
            await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE conv_id = @conv_id", connection);
            command.Parameters.AddWithValue("conv_id", convId);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    });

    private static async Task<long> ClearedSeqAsync(NpgsqlConnection connection, string userId, string convId)
    {
        await using var command = new NpgsqlCommand(
            "SELECT cleared_seq FROM orleansim_cleared_history WHERE conv_id = @conv_id AND user_id = @user_id", connection);
        command.Parameters.AddWithValue("conv_id", convId);
        command.Parameters.AddWithValue("user_id", userId);
        return await command.ExecuteScalarAsync().ConfigureAwait(false) is long seq ? seq : 0;
    }

    /// <summary>The where clause of a conversation's read, with the viewer's filter when there is a viewer.</summary>
    private static string For(string? viewerId, string rest) =>
        "conv_id = @conv_id" + (viewerId is null ? " " : ViewerFilter + " ") + rest;

    private static void AddParameters(NpgsqlCommand command, (string Name, object Value)[] parameters, string? viewerId)
    {
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        if (viewerId is not null) command.Parameters.AddWithValue("viewer", viewerId);
    }

    public Task<IReadOnlyList<ChatMessage>> GetLastMessagesAsync(IReadOnlyList<string> convIds)
    {
        MessageStoreArguments.CheckBatch(convIds);
        // One round trip; the lateral subquery is one backward seek on the (conv_id, seq) key per conversation.
        return _database.ReadAsync<IReadOnlyList<ChatMessage>>(async connection =>
        {
            await using var command = new NpgsqlCommand($"""
                SELECT m.* FROM unnest(@conv_ids::text[]) AS c(id)
                CROSS JOIN LATERAL (SELECT {SelectColumns} FROM orleansim_messages WHERE conv_id = c.id ORDER BY seq DESC LIMIT 1) m
                """, connection);
            command.Parameters.AddWithValue("conv_ids", convIds.ToArray());
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            var last = new List<ChatMessage>(convIds.Count);
            while (await reader.ReadAsync().ConfigureAwait(false)) last.Add(ReadMessage(reader));
            return last;
        });
    }

    public Task<IReadOnlyDictionary<string, int>> CountUnreadAsync(string userId, IReadOnlyList<UnreadQuery> queries, int cap)
    {
        MessageStoreArguments.CheckBatch(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        return _database.ReadAsync<IReadOnlyDictionary<string, int>>(async connection =>
        {
            // The inner LIMIT bounds each count to cap rows of the (conv_id, seq) key.
            await using var command = new NpgsqlCommand("""
                SELECT c.id, (SELECT COUNT(*) FROM (SELECT 1 FROM orleansim_messages m
                    WHERE m.conv_id = c.id AND m.seq > c.after_seq AND m.from_client <> @user_id LIMIT @cap) x)
                FROM unnest(@conv_ids::text[], @after_seqs::bigint[]) AS c(id, after_seq)
                """, connection);
            command.Parameters.AddWithValue("conv_ids", queries.Select(q => q.ConvId).ToArray());
            command.Parameters.AddWithValue("after_seqs", queries.Select(q => q.AfterSeq).ToArray());
            command.Parameters.AddWithValue("user_id", userId);
            command.Parameters.AddWithValue("cap", (long)cap);
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            while (await reader.ReadAsync().ConfigureAwait(false)) counts[reader.GetString(0)] = (int)reader.GetInt64(1);
            return counts;
        });
    }

    /// <summary>Inserts unless (conv_id, seq) or (conv_id, from_client, client_msg_id) is taken; returns whether it inserted.</summary>
    private static async Task<bool> InsertAsync(NpgsqlConnection connection, ChatMessage m)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO orleansim_messages({Columns})
            VALUES(@conv_id, @seq, @msg_id, @from_client, @type, @text, @attr, @url, @ctime, @no_sync, @mention_all,
                   @mention_client_ids, @client_msg_id)
            ON CONFLICT DO NOTHING
            """, connection);
        var p = command.Parameters;
        p.AddWithValue("conv_id", m.ConvId);
        p.AddWithValue("seq", m.Seq);
        p.AddWithValue("msg_id", m.MsgId);
        p.AddWithValue("from_client", m.FromClient);
        p.AddWithValue("type", m.Type);
        p.AddWithValue("text", NpgsqlTypes.NpgsqlDbType.Text, (object?)m.Text ?? DBNull.Value);
        p.AddWithValue("attr", NpgsqlTypes.NpgsqlDbType.Text, (object?)m.Attr ?? DBNull.Value);
        p.AddWithValue("url", NpgsqlTypes.NpgsqlDbType.Text, (object?)m.Url ?? DBNull.Value);
        p.AddWithValue("ctime", m.CTime);
        p.AddWithValue("no_sync", m.NoSync);
        p.AddWithValue("mention_all", m.MentionAll);
        p.AddWithValue("mention_client_ids", NpgsqlTypes.NpgsqlDbType.Text, (object?)m.MentionClientIds ?? DBNull.Value);
        p.AddWithValue("client_msg_id", NpgsqlTypes.NpgsqlDbType.Text, (object?)m.ClientMsgId ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
    }

    private Task<IReadOnlyList<ChatMessage>> QueryAsync(string whereAndOrder, string? viewerId, params (string Name, object Value)[] parameters) =>
        _database.ReadAsync<IReadOnlyList<ChatMessage>>(async connection =>
        {
            await using var command = CreateSelect(connection, whereAndOrder, parameters, viewerId);
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            var messages = new List<ChatMessage>();
            while (await reader.ReadAsync().ConfigureAwait(false)) messages.Add(ReadMessage(reader));
            return messages;
        });

    private static async Task<ChatMessage?> QuerySingleAsync(NpgsqlConnection connection, string where, params (string Name, object Value)[] parameters)
    {
        await using var command = CreateSelect(connection, where, parameters, null);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? ReadMessage(reader) : null;
    }

    private static NpgsqlCommand CreateSelect(NpgsqlConnection connection, string whereAndOrder, (string Name, object Value)[] parameters, string? viewerId)
    {
        var command = new NpgsqlCommand($"SELECT {SelectColumns} FROM orleansim_messages WHERE {whereAndOrder}", connection);
        AddParameters(command, parameters, viewerId);
        return command;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, string convId)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("conv_id", convId);
        return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    private static ChatMessage ReadMessage(NpgsqlDataReader r) => new(
        ConvId: r.GetString(0),
        Seq: r.GetInt64(1),
        MsgId: r.GetString(2),
        FromClient: r.GetString(3),
        Type: r.GetInt32(4),
        Text: r.IsDBNull(5) ? null : r.GetString(5),
        Attr: r.IsDBNull(6) ? null : r.GetString(6),
        Url: r.IsDBNull(7) ? null : r.GetString(7),
        CTime: r.GetInt64(8),
        Transient: false,
        NoSync: r.GetInt32(9),
        MentionAll: r.GetBoolean(10),
        MentionClientIds: r.IsDBNull(11) ? null : r.GetString(11),
        ClientMsgId: r.IsDBNull(12) ? null : r.GetString(12),
        Recalled: r.GetBoolean(13));
}
