using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A user's profile (seed 000's imUserVo). ExtrasJson is the raw JSON object of custom fields. TokenGeneration is not
/// part of imUserVo: static tokens carry it, and only tokens of the current generation are accepted.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.UserProfile")]
public sealed record UserProfile(
    string Id,
    string Nickname,
    string? Avatar,
    string? ExtrasJson,
    int UserStatus,
    long LastLoginTime,
    long TokenGeneration = 0);
