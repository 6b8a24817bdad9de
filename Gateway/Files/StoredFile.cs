namespace OrleansIm.Gateway.Files;

/// <summary>What a store knows of one file: its name, the content type it is served with, its size and when it was stored.</summary>
public sealed record StoredFile(string Name, string ContentType, long Length, DateTimeOffset CreatedAt);
