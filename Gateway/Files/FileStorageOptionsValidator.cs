using Microsoft.Extensions.Options;

namespace OrleansIm.Gateway.Files;

/// <summary>Refuses nonsensical <c>Gateway:Files</c> settings at start-up, naming the setting.</summary>
public sealed class FileStorageOptionsValidator : IValidateOptions<FileStorageOptions>
{
    /// <summary>Above this a single upload would hold a gateway and its store for too long; use object storage instead.</summary>
    public const long MaxConfigurableFileBytes = 4L * 1024 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, FileStorageOptions options)
    {
        var failures = new List<string>();
        var section = FileStorageOptions.SectionName;
        if (!Enum.IsDefined(options.Store))
            failures.Add($"{section}:{nameof(FileStorageOptions.Store)} must be Auto, Directory, Postgres or None.");
        if (options.MaxFileBytes is < 1 or > MaxConfigurableFileBytes)
            failures.Add($"{section}:{nameof(FileStorageOptions.MaxFileBytes)} must be between 1 and {MaxConfigurableFileBytes}.");
        if (options.MaxConcurrentUploads < 1)
            failures.Add($"{section}:{nameof(FileStorageOptions.MaxConcurrentUploads)} must be at least 1.");
        foreach (var pattern in options.EffectiveAllowedContentTypes)
        {
            if (!FileContentTypes.IsValidPattern(pattern))
                failures.Add($"{section}:{nameof(FileStorageOptions.AllowedContentTypes)} has '{pattern}': use 'type/subtype' or 'type/*'.");
        }
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) && !IsHttpBase(options.PublicBaseUrl))
            failures.Add($"{section}:{nameof(FileStorageOptions.PublicBaseUrl)} must be an absolute http(s) URL without query or fragment.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpBase(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Query.Length == 0 && uri.Fragment.Length == 0;
}
