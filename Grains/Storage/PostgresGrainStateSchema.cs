namespace OrleansIm.Grains.Storage;

/// <summary>
/// Our PostgreSQL schema for Orleans' ADO.NET grain storage (<c>Microsoft.Orleans.Persistence.AdoNet</c>), which
/// ships no SQL: at start the provider reads its four statements from table <c>OrleansQuery</c> by key and runs them
/// with named parameters (<c>@ServiceId</c>, <c>@GrainTypeString</c>, <c>@GrainIdN0</c>, <c>@GrainIdN1</c>,
/// <c>@GrainIdExtensionString</c>, <c>@GrainStateVersion</c>, <c>@PayloadBinary</c>, plus two hashes we do not need).
/// <para>
/// The ETag is the row's version as a decimal string. The provider decides conflicts from what a statement returns:
/// the same version as the caller's ETag, an empty value (SQL NULL), or no row at all while the caller had an ETag
/// are conflicts. An empty result with a null ETag would pass silently, so every write, clear and delete returns
/// exactly one row: the new version, or NULL when nothing matched.
/// </para>
/// <para>Steps are append-only (see <see cref="PostgresDatabase.EnsureSchemaAsync"/>): change a query with a new step.</para>
/// </summary>
public static class PostgresGrainStateSchema
{
    /// <summary>Our name in <c>orleansim_schema_version</c>.</summary>
    public const string Component = "orleans-grain-state";

    /// <summary>The ADO.NET invariant the provider must be configured with for these queries.</summary>
    public const string Invariant = "Npgsql";

    public static IReadOnlyList<string> Steps { get; } =
    [
        // 1: tables.
        // OrleansQuery is the provider's fixed lookup (names unquoted, so folded to lower case, as the provider's own
        // unquoted SELECT expects); other Orleans ADO.NET components would share it under other keys.
        // The row key is the grain's real key, never a hash: the state name (grain type string), N0/N1 (zero for
        // string keys) and the key extension, which for a string-keyed grain is the whole key. The extension is
        // stored as '+' || extension, or '' when the id has none, so "none" and "empty" stay distinct while the
        // column stays NOT NULL and equality stays indexable. A NULL payload is a cleared state whose version lives on,
        // so an activation that still holds an older version cannot write over the clear.
        """
        CREATE TABLE IF NOT EXISTS OrleansQuery(
            QueryKey VARCHAR(64) NOT NULL PRIMARY KEY,
            QueryText TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS orleansim_grain_state(
            service_id TEXT NOT NULL,
            grain_type TEXT NOT NULL,
            grain_key_n0 BIGINT NOT NULL,
            grain_key_n1 BIGINT NOT NULL,
            grain_key_ext TEXT NOT NULL,
            version INTEGER NOT NULL,
            payload BYTEA,
            modified_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY(service_id, grain_type, grain_key_n0, grain_key_n1, grain_key_ext));
        """,

        // 2: the provider's statements. Every parameter is CAST so PostgreSQL knows its type even when it is NULL.
        // Result columns are quoted because the provider looks them up by their mixed-case names.
        // Read: zero rows = no record; a NULL payload = cleared (the provider reports RecordExists false, ETag = version).
        // Write: with an ETag, update the row holding exactly that version; without one, insert only if no row exists
        // (not even a cleared one). Both arms are in one statement, and the scalar subqueries yield one row either way.
        // Clear keeps the row with a NULL payload and bumps the version (DeleteStateOnClear = false, the default).
        // Delete removes the row and returns version + 1, because returning the caller's ETag would read as a conflict.
        """
        INSERT INTO OrleansQuery(QueryKey, QueryText) VALUES
        ('ReadFromStorageKey', $query$
        SELECT payload AS "PayloadBinary", version AS "Version"
        FROM orleansim_grain_state
        WHERE service_id = CAST(@ServiceId AS TEXT)
          AND grain_type = CAST(@GrainTypeString AS TEXT)
          AND grain_key_n0 = CAST(@GrainIdN0 AS BIGINT)
          AND grain_key_n1 = CAST(@GrainIdN1 AS BIGINT)
          AND grain_key_ext = COALESCE('+' || CAST(@GrainIdExtensionString AS TEXT), '')
        $query$),
        ('WriteToStorageKey', $query$
        WITH updated AS (
            UPDATE orleansim_grain_state
            SET payload = CAST(@PayloadBinary AS BYTEA), version = version + 1, modified_at = now()
            WHERE service_id = CAST(@ServiceId AS TEXT)
              AND grain_type = CAST(@GrainTypeString AS TEXT)
              AND grain_key_n0 = CAST(@GrainIdN0 AS BIGINT)
              AND grain_key_n1 = CAST(@GrainIdN1 AS BIGINT)
              AND grain_key_ext = COALESCE('+' || CAST(@GrainIdExtensionString AS TEXT), '')
              AND version = CAST(@GrainStateVersion AS INTEGER)
            RETURNING version),
        inserted AS (
            INSERT INTO orleansim_grain_state(service_id, grain_type, grain_key_n0, grain_key_n1, grain_key_ext, version, payload)
            SELECT CAST(@ServiceId AS TEXT), CAST(@GrainTypeString AS TEXT), CAST(@GrainIdN0 AS BIGINT),
                   CAST(@GrainIdN1 AS BIGINT), COALESCE('+' || CAST(@GrainIdExtensionString AS TEXT), ''),
                   1, CAST(@PayloadBinary AS BYTEA)
            WHERE CAST(@GrainStateVersion AS INTEGER) IS NULL
            ON CONFLICT(service_id, grain_type, grain_key_n0, grain_key_n1, grain_key_ext) DO NOTHING
            RETURNING version)
        SELECT COALESCE((SELECT version FROM updated), (SELECT version FROM inserted)) AS "NewGrainStateVersion"
        $query$),
        ('ClearStorageKey', $query$
        WITH cleared AS (
            UPDATE orleansim_grain_state
            SET payload = NULL, version = version + 1, modified_at = now()
            WHERE service_id = CAST(@ServiceId AS TEXT)
              AND grain_type = CAST(@GrainTypeString AS TEXT)
              AND grain_key_n0 = CAST(@GrainIdN0 AS BIGINT)
              AND grain_key_n1 = CAST(@GrainIdN1 AS BIGINT)
              AND grain_key_ext = COALESCE('+' || CAST(@GrainIdExtensionString AS TEXT), '')
              AND version = CAST(@GrainStateVersion AS INTEGER)
            RETURNING version)
        SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion"
        $query$),
        ('DeleteStorageKey', $query$
        WITH deleted AS (
            DELETE FROM orleansim_grain_state
            WHERE service_id = CAST(@ServiceId AS TEXT)
              AND grain_type = CAST(@GrainTypeString AS TEXT)
              AND grain_key_n0 = CAST(@GrainIdN0 AS BIGINT)
              AND grain_key_n1 = CAST(@GrainIdN1 AS BIGINT)
              AND grain_key_ext = COALESCE('+' || CAST(@GrainIdExtensionString AS TEXT), '')
              AND version = CAST(@GrainStateVersion AS INTEGER)
            RETURNING version)
        SELECT (SELECT version + 1 FROM deleted) AS "NewGrainStateVersion"
        $query$)
        ON CONFLICT(QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
        """,
    ];
}
