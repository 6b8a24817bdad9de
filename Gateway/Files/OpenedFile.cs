namespace OrleansIm.Gateway.Files;

/// <summary>A stored file opened for reading: <see cref="Content"/> is seekable (range requests) and owned by the caller.</summary>
public sealed record OpenedFile(StoredFile File, Stream Content);
