namespace OrleansIm.Gateway.Files;

/// <summary>
/// Files in a local directory (the standalone node's <c>./data/files</c>): <c>&lt;root&gt;/&lt;first two hex digits&gt;/&lt;name&gt;</c>
/// with the content type beside it in <c>&lt;name&gt;.type</c>. An upload is written to <c>&lt;root&gt;/tmp</c>, flushed
/// to disk and then moved into place, so a half-written file is never served; leftovers in <c>tmp</c> older than an
/// hour are removed at start-up. Only names that pass <see cref="FileNames.IsValid"/> are ever turned into paths.
/// </summary>
public sealed class LocalDirectoryFileStore : IFileStore
{
    public const string TypeSuffix = ".type";
    public const string TempDirectoryName = "tmp";
    private const int BufferBytes = 81920;
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromHours(1);

    private readonly string _temp;

    public LocalDirectoryFileStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _temp = Path.Combine(Root, TempDirectoryName);
    }

    /// <summary>The store's directory, absolute.</summary>
    public string Root { get; }

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_temp);
        foreach (var leftover in Directory.EnumerateFiles(_temp))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(leftover) > LeftoverAge) TryDelete(leftover);
        }
        return Task.CompletedTask;
    }

    public async Task<StoredFile> SaveAsync(string name, string contentType, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var path = PathOf(name) ?? throw new ArgumentException($"'{name}' is not a stored file name.", nameof(name));
        Directory.CreateDirectory(_temp);
        var part = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".part");
        var typePart = part + TypeSuffix;
        try
        {
            long length = 0;
            await using (var output = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true))
            {
                var buffer = new byte[BufferBytes];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    if (length > maxBytes) throw new FileTooLargeException(maxBytes);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
            }
            await File.WriteAllTextAsync(typePart, contentType, cancellationToken);

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // The type first: a data file without its type is not served, a type without its data is never looked at.
            File.Move(typePart, path + TypeSuffix);
            File.Move(part, path);
            return new StoredFile(name, contentType, length, File.GetLastWriteTimeUtc(path));
        }
        catch
        {
            TryDelete(part);
            TryDelete(typePart);
            throw;
        }
    }

    public async Task<OpenedFile?> OpenAsync(string name, CancellationToken cancellationToken)
    {
        if (PathOf(name) is not { } path) return null;
        string contentType;
        FileStream stream;
        try
        {
            contentType = (await File.ReadAllTextAsync(path + TypeSuffix, cancellationToken)).Trim();
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var file = new StoredFile(name, contentType, stream.Length, File.GetLastWriteTimeUtc(path));
        return new OpenedFile(file, stream);
    }

    /// <summary>The path of a valid name, inside <see cref="Root"/>; null for anything else.</summary>
    private string? PathOf(string name)
    {
        if (!FileNames.IsValid(name)) return null;
        var path = Path.GetFullPath(Path.Combine(Root, name[..2], name));
        // Cannot fail for a valid name; checked anyway so that no future change of the pattern can reach outside.
        return path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : null;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
