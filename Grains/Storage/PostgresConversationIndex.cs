using System.Data;
using System.Text;
using Npgsql;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// <see cref="IConversationIndex"/> on the silo's <see cref="PostgresDatabase"/>; same filter semantics as
/// <see cref="SqliteConversationIndex"/>. Filter values are always bound as parameters; only validated column
/// names and operators ever reach the SQL text.
/// </summary>
public sealed class PostgresConversationIndex : IConversationIndex
{
    // COLLATE "C": byte-wise comparison and ordering of ids, like SQLite's BINARY and the memory index's
    // ordinal compare, whatever the database's default locale is.
    private static readonly string[] SchemaSteps =
    [
        """
        CREATE TABLE IF NOT EXISTS orleansim_conversations(
            conv_id TEXT COLLATE "C" PRIMARY KEY,
            app_id TEXT NOT NULL,
            conv_type INTEGER NOT NULL,
            creator_id TEXT COLLATE "C" NOT NULL,
            conv_extend TEXT,
            member_count INTEGER NOT NULL,
            ctime BIGINT NOT NULL,
            mtime BIGINT NULL);
        CREATE INDEX IF NOT EXISTS orleansim_conversations_app_ctime ON orleansim_conversations(app_id, ctime, conv_id);
        """,
    ];

    private readonly PostgresDatabase _database;

    public PostgresConversationIndex(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _database.EnsureSchema("conversations", SchemaSteps);
    }

    public Task UpsertAsync(ConversationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return _database.WriteAsync(info.ConvId, async connection =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO orleansim_conversations(conv_id, app_id, conv_type, creator_id, conv_extend, member_count, ctime, mtime)
                VALUES(@conv_id, @app_id, @conv_type, @creator_id, @conv_extend, @member_count, @ctime, @mtime)
                ON CONFLICT(conv_id) DO UPDATE SET
                    app_id = excluded.app_id, conv_type = excluded.conv_type, creator_id = excluded.creator_id,
                    conv_extend = excluded.conv_extend, member_count = excluded.member_count,
                    ctime = excluded.ctime, mtime = excluded.mtime
                """, connection);
            var p = command.Parameters;
            p.AddWithValue("conv_id", info.ConvId);
            p.AddWithValue("app_id", info.AppId);
            p.AddWithValue("conv_type", info.ConvType);
            p.AddWithValue("creator_id", info.CreatorId);
            p.AddWithValue("conv_extend", NpgsqlTypes.NpgsqlDbType.Text, (object?)info.ConvExtend ?? DBNull.Value);
            p.AddWithValue("member_count", info.MemberCount);
            p.AddWithValue("ctime", info.CTime);
            p.AddWithValue("mtime", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)info.MTime ?? DBNull.Value);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        });
    }

    public Task DeleteAsync(string convId) => _database.WriteAsync(convId, async connection =>
    {
        await using var command = new NpgsqlCommand("DELETE FROM orleansim_conversations WHERE conv_id = @conv_id", connection);
        command.Parameters.AddWithValue("conv_id", convId);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    });

    public Task<ConversationQueryResult> QueryAsync(string appId, ConversationQuery query)
    {
        var conditions = ConversationFilterCondition.ParseAll(query);
        return _database.ReadAsync(async connection =>
        {
            var where = new StringBuilder("app_id = @app_id");
            var parameters = new List<(string Name, object Value)> { ("app_id", appId) };
            for (var i = 0; i < conditions.Count; i++)
            {
                var prefix = $"@f{i}_";
                where.Append(" AND ").Append(conditions[i].ToSql(prefix));
                parameters.AddRange(conditions[i].Values.Select((value, j) => ($"f{i}_{j}", value)));
            }

            // One snapshot: the count and the page describe the same moment.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead).ConfigureAwait(false);
            long total;
            await using (var count = Command(connection, $"SELECT COUNT(*) FROM orleansim_conversations WHERE {where}", parameters))
                total = (long)(await count.ExecuteScalarAsync().ConfigureAwait(false))!;

            var items = new List<ConversationInfo>();
            await using (var select = Command(connection,
                             "SELECT conv_id, conv_type, app_id, creator_id, conv_extend, member_count, ctime, mtime " +
                             $"FROM orleansim_conversations WHERE {where} ORDER BY ctime, conv_id LIMIT @limit OFFSET @offset", parameters))
            {
                select.Parameters.AddWithValue("limit", query.Size);
                select.Parameters.AddWithValue("offset", (long)(query.Page - 1) * query.Size);
                await using var reader = await select.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    items.Add(new ConversationInfo(
                        ConvId: reader.GetString(0),
                        ConvType: reader.GetInt32(1),
                        AppId: reader.GetString(2),
                        CreatorId: reader.GetString(3),
                        ConvExtend: reader.IsDBNull(4) ? null : reader.GetString(4),
                        MemberCount: reader.GetInt32(5),
                        CTime: reader.GetInt64(6),
                        MTime: reader.IsDBNull(7) ? null : reader.GetInt64(7)));
                }
            }
            await transaction.CommitAsync().ConfigureAwait(false);
            return new ConversationQueryResult(items, total);
        });
    }

    public Task<IReadOnlySet<string>> FindExistingAsync(string appId, IReadOnlyCollection<string> convIds, int? convType = null)
    {
        ArgumentNullException.ThrowIfNull(convIds);
        if (convIds.Count == 0) return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal));
        return _database.ReadAsync<IReadOnlySet<string>>(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT conv_id FROM orleansim_conversations WHERE app_id = @app_id AND conv_id = ANY(@ids)" +
                (convType is null ? "" : " AND conv_type = @conv_type"), connection);
            command.Parameters.AddWithValue("app_id", appId);
            if (convType is { } type) command.Parameters.AddWithValue("conv_type", type);
            command.Parameters.AddWithValue("ids", convIds.ToArray());
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            var existing = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync().ConfigureAwait(false)) existing.Add(reader.GetString(0));
            return existing;
        });
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, List<(string Name, object Value)> parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
