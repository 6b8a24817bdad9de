using System.Text.RegularExpressions;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace OrleansIm.Gateway.Files;

/// <summary>
/// Content types of uploads: what the client declared (normalized), whether <c>Gateway:Files:AllowedContentTypes</c>
/// accepts it, the extension a stored name gets, and whether a browser may show the file inline.
/// </summary>
public static partial class FileContentTypes
{
    public const string OctetStream = "application/octet-stream";

    private static readonly FileExtensionContentTypeProvider KnownExtensions = new();

    /// <summary>The extensions in the order a content type's extension is looked for (so image/jpeg becomes jpg, not jpeg).</summary>
    private static readonly string[] PreferredExtensions = [.. FileNames.AllowedExtensions.Order(StringComparer.Ordinal).OrderBy(e => e.Length)];

    /// <summary>
    /// The type a file is stored and served with: the multipart section's declared type, lowercased without parameters.
    /// When that says nothing (absent, unparsable or <c>application/octet-stream</c>), the type the client's file name
    /// stands for if <paramref name="allowed"/> accepts it, else octet-stream — a generic file is never refused for
    /// its name, it stays generic (and is served as an attachment).
    /// </summary>
    public static string Resolve(string? declared, string? clientFileName, IEnumerable<string> allowed)
    {
        var type = MediaTypeHeaderValue.TryParse(declared, out var parsed) && parsed.MediaType.Value is { } media
            && IsValidType(media) ? media.ToLowerInvariant() : OctetStream;
        if (type == OctetStream && clientFileName is not null && KnownExtensions.TryGetContentType(clientFileName, out var guessed)
            && IsAllowed(guessed, allowed))
            type = guessed.ToLowerInvariant();
        return type;
    }

    /// <summary>A pattern of the allow list: <c>type/subtype</c> or <c>type/*</c>.</summary>
    public static bool IsValidPattern(string? pattern) => pattern is not null && Pattern().IsMatch(pattern);

    public static bool IsAllowed(string contentType, IEnumerable<string> patterns)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.EndsWith("/*", StringComparison.Ordinal)
                ? contentType.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
                : string.Equals(contentType, pattern, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Types a browser shows without running anything: images (not SVG or other XML, which can carry script), audio,
    /// video and plain text. Everything else is served as an attachment (downloaded, never rendered on our origin).
    /// </summary>
    public static bool ServesInline(string contentType) =>
        !contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)
        && (contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
            || string.Equals(contentType, "text/plain", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The extension of a stored name: the client's, when it is on the allow list and agrees with the type (or the type
    /// says nothing, or no known mapping contradicts it); else the allowed extension the type stands for; else <c>bin</c>.
    /// </summary>
    public static string ExtensionFor(string contentType, string? clientFileName)
    {
        var clientExtension = FileNames.AllowedExtensionOf(clientFileName);
        if (clientExtension is not null)
        {
            var known = KnownExtensions.TryGetContentType("f." + clientExtension, out var implied);
            if (contentType == OctetStream || !known || string.Equals(implied, contentType, StringComparison.OrdinalIgnoreCase))
                return clientExtension;
        }
        foreach (var extension in PreferredExtensions)
        {
            if (KnownExtensions.TryGetContentType("f." + extension, out var implied) && string.Equals(implied, contentType, StringComparison.OrdinalIgnoreCase))
                return extension;
        }
        return FileNames.FallbackExtension;
    }

    private static bool IsValidType(string media) => Pattern().IsMatch(media) && !media.EndsWith("/*", StringComparison.Ordinal);

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/(\*|[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
