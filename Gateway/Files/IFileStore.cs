namespace OrleansIm.Gateway.Files;

/// <summary>
/// Where a gateway keeps uploaded files. Names are made and checked by <see cref="FileNames"/> before they get here;
/// implementations check them again and never build a path or key from anything else. Files are immutable: a name,
/// once stored, always means the same bytes.
/// </summary>
public interface IFileStore
{
    /// <summary>Creates what the store needs (directory, tables) and removes leftovers of uploads that never finished.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Streams <paramref name="content"/> into the store under <paramref name="name"/>, never holding the whole file in
    /// memory. More than <paramref name="maxBytes"/> bytes: <see cref="FileTooLargeException"/>, and nothing is stored;
    /// any other failure also leaves nothing behind that <see cref="OpenAsync"/> would find.
    /// </summary>
    Task<StoredFile> SaveAsync(string name, string contentType, Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>The file and a seekable stream of its bytes (the caller disposes it), or null when there is no such file.</summary>
    Task<OpenedFile?> OpenAsync(string name, CancellationToken cancellationToken);
}
