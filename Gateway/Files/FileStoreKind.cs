namespace OrleansIm.Gateway.Files;

/// <summary>Where a gateway keeps uploaded files (<c>Gateway:Files:Store</c>).</summary>
public enum FileStoreKind
{
    /// <summary>
    /// Standalone node: <see cref="Directory"/>. Cluster processes (gateway, silo with a gateway): <see cref="Postgres"/>
    /// when <c>ConnectionStrings:Postgres</c> is set, else <see cref="None"/> (with a warning at start-up), because a
    /// directory of one gateway is not seen by the others.
    /// </summary>
    Auto,

    /// <summary>A local directory (<see cref="FileStorageOptions.Directory"/>); for a cluster only if every gateway mounts the same one.</summary>
    Directory,

    /// <summary>PostgreSQL (<c>ConnectionStrings:Postgres</c>): every gateway of a cluster reads what any of them stored.</summary>
    Postgres,

    /// <summary>No file endpoints: /im/file/upload and /storage/uploads/* answer 404.</summary>
    None,
}
