using System.Text;
using Microsoft.Data.Sqlite;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// <see cref="IConversationIndex"/> on the node's <see cref="SqliteDatabase"/>. Filter values are always
/// bound as parameters; only validated column names and operators ever reach the SQL text.
/// </summary>
public sealed class SqliteConversationIndex : IConversationIndex
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS conversations(
            conv_id TEXT PRIMARY KEY,
            app_id TEXT,
            conv_type INTEGER,
            creator_id TEXT,
            conv_extend TEXT,
            member_count INTEGER,
            ctime INTEGER,
            mtime INTEGER NULL);
        CREATE INDEX IF NOT EXISTS conversations_app_ctime ON conversations(app_id, ctime, conv_id);
        """;

    private readonly SqliteDatabase _database;

    public SqliteConversationIndex(SqliteDatabase database)
    {
        _database = database;
        _database.EnsureSchema(Schema);
    }

    public Task UpsertAsync(ConversationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return _database.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO conversations(conv_id, app_id, conv_type, creator_id, conv_extend, member_count, ctime, mtime)
                VALUES(@conv_id, @app_id, @conv_type, @creator_id, @conv_extend, @member_count, @ctime, @mtime)
                ON CONFLICT(conv_id) DO UPDATE SET
                    app_id = excluded.app_id, conv_type = excluded.conv_type, creator_id = excluded.creator_id,
                    conv_extend = excluded.conv_extend, member_count = excluded.member_count,
                    ctime = excluded.ctime, mtime = excluded.mtime
                """;
            var p = command.Parameters;
            p.AddWithValue("@conv_id", info.ConvId);
            p.AddWithValue("@app_id", info.AppId);
            p.AddWithValue("@conv_type", info.ConvType);
            p.AddWithValue("@creator_id", info.CreatorId);
            p.AddWithValue("@conv_extend", (object?)info.ConvExtend ?? DBNull.Value);
            p.AddWithValue("@member_count", info.MemberCount);
            p.AddWithValue("@ctime", info.CTime);
            p.AddWithValue("@mtime", (object?)info.MTime ?? DBNull.Value);
            command.ExecuteNonQuery();
        });
    }

    public Task DeleteAsync(string convId) => _database.WriteAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM conversations WHERE conv_id = @conv_id";
        command.Parameters.AddWithValue("@conv_id", convId);
        command.ExecuteNonQuery();
    });

    public Task<ConversationQueryResult> QueryAsync(string appId, ConversationQuery query)
    {
        var conditions = ConversationFilterCondition.ParseAll(query);
        return _database.ReadAsync(connection =>
        {
            var where = new StringBuilder("app_id = @app_id");
            var parameters = new List<(string Name, object Value)> { ("@app_id", appId) };
            for (var i = 0; i < conditions.Count; i++)
            {
                var prefix = $"@f{i}_";
                where.Append(" AND ").Append(conditions[i].ToSql(prefix));
                parameters.AddRange(conditions[i].Values.Select((value, j) => ($"{prefix}{j}", value)));
            }

            // One read transaction: the count and the page come from the same snapshot.
            using var transaction = connection.BeginTransaction(deferred: true);
            using var count = Command(connection, $"SELECT COUNT(*) FROM conversations WHERE {where}", parameters);
            var total = (long)count.ExecuteScalar()!;

            using var select = Command(connection,
                "SELECT conv_id, conv_type, app_id, creator_id, conv_extend, member_count, ctime, mtime " +
                $"FROM conversations WHERE {where} ORDER BY ctime, conv_id LIMIT @limit OFFSET @offset", parameters);
            select.Parameters.AddWithValue("@limit", query.Size);
            select.Parameters.AddWithValue("@offset", (long)(query.Page - 1) * query.Size);
            using var reader = select.ExecuteReader();
            var items = new List<ConversationInfo>();
            while (reader.Read())
            {
                items.Add(new ConversationInfo(
                    ConvId: reader.GetString(0),
                    ConvType: reader.IsDBNull(1) ? 0 : reader.GetInt32(1),
                    AppId: reader.IsDBNull(2) ? "" : reader.GetString(2),
                    CreatorId: reader.IsDBNull(3) ? "" : reader.GetString(3),
                    ConvExtend: reader.IsDBNull(4) ? null : reader.GetString(4),
                    MemberCount: reader.IsDBNull(5) ? 0 : reader.GetInt32(5),
                    CTime: reader.IsDBNull(6) ? 0 : reader.GetInt64(6),
                    MTime: reader.IsDBNull(7) ? null : reader.GetInt64(7)));
            }
            return new ConversationQueryResult(items, total);
        });
    }

    public Task<IReadOnlySet<string>> FindExistingAsync(string appId, IReadOnlyCollection<string> convIds, int? convType = null)
    {
        ArgumentNullException.ThrowIfNull(convIds);
        if (convIds.Count == 0) return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal));
        return _database.ReadAsync<IReadOnlySet<string>>(connection =>
        {
            // The ids travel as one JSON array parameter: one statement whatever their number, no SQL text built from input.
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT conv_id FROM conversations WHERE app_id = @app_id " +
                                  "AND conv_id IN (SELECT value FROM json_each(@ids))" + (convType is null ? "" : " AND conv_type = @conv_type");
            command.Parameters.AddWithValue("@app_id", appId);
            if (convType is { } type) command.Parameters.AddWithValue("@conv_type", type);
            command.Parameters.AddWithValue("@ids", System.Text.Json.JsonSerializer.Serialize(convIds));
            using var reader = command.ExecuteReader();
            var existing = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read()) existing.Add(reader.GetString(0));
            return existing;
        });
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, List<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
