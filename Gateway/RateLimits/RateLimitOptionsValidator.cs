using Microsoft.Extensions.Options;

namespace OrleansIm.Gateway.RateLimits;

/// <summary>Refuses nonsensical rate limits at start-up, naming the setting, instead of failing on the first request.</summary>
public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        Check(failures, nameof(RateLimitOptions.ServerApiPerAddress), options.ServerApiPerAddress);
        Check(failures, nameof(RateLimitOptions.ServerApiPerAppKey), options.ServerApiPerAppKey);
        Check(failures, nameof(RateLimitOptions.ConnectionsPerAddress), options.ConnectionsPerAddress);
        Check(failures, nameof(RateLimitOptions.AdminKeyFailuresPerAddress), options.AdminKeyFailuresPerAddress);
        Check(failures, nameof(RateLimitOptions.FramesPerConnection), options.FramesPerConnection);
        Check(failures, nameof(RateLimitOptions.SendsPerUser), options.SendsPerUser);
        Check(failures, nameof(RateLimitOptions.SendCharactersPerUser), options.SendCharactersPerUser);
        Check(failures, nameof(RateLimitOptions.UploadsPerAddress), options.UploadsPerAddress);
        Check(failures, nameof(RateLimitOptions.UploadsPerUser), options.UploadsPerUser);
        if (options.FrameRejectionsBeforeClose < 0)
            failures.Add($"{RateLimitOptions.SectionName}:{nameof(RateLimitOptions.FrameRejectionsBeforeClose)} must be 0 (never close) or more.");
        if (options.FrameRejectionWindow <= TimeSpan.Zero)
            failures.Add($"{RateLimitOptions.SectionName}:{nameof(RateLimitOptions.FrameRejectionWindow)} must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string name, TokenBucketLimit? limit)
    {
        var key = $"{RateLimitOptions.SectionName}:{name}";
        if (limit is null) failures.Add($"{key} is missing.");
        else if (limit.TokenLimit < 0) failures.Add($"{key}:TokenLimit must be 0 (no limit) or more.");
        else if (limit.Enabled && limit.TokensPerSecond < 1) failures.Add($"{key}:TokensPerSecond must be at least 1 when TokenLimit is set.");
    }
}
