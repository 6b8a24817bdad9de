using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace OrleansIm.Gateway.Files;

/// <summary>
/// Stored file names: 128 random bits as 32 lowercase hex digits, a dot and an extension from <see cref="AllowedExtensions"/>.
/// A client's file name only ever suggests the extension; it never becomes (part of) a path. Every name a request
/// carries is checked against <see cref="IsValid"/> before any store sees it.
/// </summary>
public static partial class FileNames
{
    public const string FallbackExtension = "bin";

    /// <summary>
    /// Extensions a stored name may carry: common media and document types. Types browsers run as active content
    /// (html, svg, xml, js) are not among them, so a name never invites a proxy or CDN in front of the gateways to
    /// serve one inline; such files get <see cref="FallbackExtension"/>.
    /// </summary>
    public static readonly IReadOnlySet<string> AllowedExtensions = new HashSet<string>(StringComparer.Ordinal)
    {
        "jpg", "jpeg", "png", "gif", "webp", "bmp", "heic", "heif", "ico", "tif", "tiff",
        "mp3", "m4a", "aac", "amr", "wav", "ogg", "oga", "opus", "flac", "silk",
        "mp4", "m4v", "mov", "webm", "3gp", "mkv", "avi",
        "pdf", "zip", "rar", "7z", "gz", "txt", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
        FallbackExtension,
    };

    /// <summary>A fresh, unguessable name.</summary>
    public static string New(string extension) =>
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "." + extension;

    /// <summary>True only for names this gateway could have made: nothing else ever reaches a store.</summary>
    public static bool IsValid(string? name) => name is not null && ValidName().IsMatch(name);

    /// <summary>The extension of the client's file name, lowercased, if it is one of <see cref="AllowedExtensions"/>; else null.</summary>
    public static string? AllowedExtensionOf(string? clientFileName)
    {
        if (string.IsNullOrEmpty(clientFileName)) return null;
        var dot = clientFileName.LastIndexOf('.');
        if (dot < 0 || dot == clientFileName.Length - 1) return null;
        var extension = clientFileName[(dot + 1)..].ToLowerInvariant();
        return AllowedExtensions.Contains(extension) ? extension : null;
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"\A[0-9a-f]{32}\.[a-z0-9]{1,8}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
