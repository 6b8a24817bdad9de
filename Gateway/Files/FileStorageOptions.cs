namespace OrleansIm.Gateway.Files;

/// <summary>
/// Uploaded files (seed 003's <c>POST /im/file/upload</c>, served at <c>/storage/uploads/&lt;name&gt;</c>), bound from
/// <c>Gateway:Files</c>. Defaults and the reasons for them: docs/operations.md and docs/security.md.
/// </summary>
public sealed class FileStorageOptions
{
    public const string SectionName = "Gateway:Files";

    /// <summary>The content types accepted when <see cref="AllowedContentTypes"/> is not configured.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedContentTypes =
    [
        "image/*", "audio/*", "video/*",
        "text/plain", "application/pdf", "application/zip", "application/x-zip-compressed", "application/octet-stream",
        "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ];

    /// <summary>Where files go; <see cref="FileStoreKind.Auto"/> picks by mode (see there).</summary>
    public FileStoreKind Store { get; set; } = FileStoreKind.Auto;

    /// <summary>The directory of <see cref="FileStoreKind.Directory"/>. Empty = <c>files</c> under <c>Storage:DataDirectory</c> (<c>./data/files</c>).</summary>
    public string? Directory { get; set; }

    /// <summary>Largest file accepted, in bytes (20 MiB): a larger upload gets 413 / code 4013 and nothing is stored.</summary>
    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>
    /// Content types accepted: exact (<c>application/pdf</c>) or a whole top-level type (<c>image/*</c>). Unset = the
    /// defaults (<see cref="DefaultAllowedContentTypes"/>); configuring the list replaces them.
    /// </summary>
    public string[]? AllowedContentTypes { get; set; }

    /// <summary>
    /// The absolute URL the returned file URLs start with (e.g. <c>https://im.example.com</c>, or a CDN in front of the
    /// gateways). Empty = the upload request's own scheme and host, which is wrong behind a TLS-terminating proxy.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Uploads this gateway runs at the same time; one more is refused with 429 / code 4290 (bounds disk, database and memory).</summary>
    public int MaxConcurrentUploads { get; set; } = 32;

    public IReadOnlyList<string> EffectiveAllowedContentTypes => AllowedContentTypes is { Length: > 0 } configured ? configured : DefaultAllowedContentTypes;
}
