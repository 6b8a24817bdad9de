namespace OrleansIm.Gateway.Files;

/// <summary>The store this process uses for files, as decided from Gateway:Files:Store, the mode and the connection strings.</summary>
/// <param name="Kind">Never <see cref="FileStoreKind.Auto"/>.</param>
/// <param name="Location">The directory, or a description of the database; null for <see cref="FileStoreKind.None"/>.</param>
/// <param name="Reason">Why, for the start-up log.</param>
public sealed record FileStoreChoice(FileStoreKind Kind, string? Location, string Reason);
