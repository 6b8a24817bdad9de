namespace OrleansIm.Runtime.Membership;

/// <summary>
/// The table's version row. Every insert or update must present the version it read and succeeds only if
/// the table is still at that version, bumping it by one in the same transaction — so two silos acting on
/// the same view cannot both win.
/// </summary>
public sealed record TableVersion(long Version);
