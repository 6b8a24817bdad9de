using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// Team info to set at creation or change in an update: a null field is left as it is. Strings are cleared with "";
/// <see cref="CustomJson"/> is a raw JSON object.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.TeamSettings")]
public sealed record TeamSettings(
    string? Name = null,
    string? Avatar = null,
    string? Intro = null,
    string? Announcement = null,
    string? CustomJson = null,
    string? JoinMode = null,
    string? InviteMode = null,
    string? BeInviteMode = null)
{
    public bool IsEmpty => Name is null && Avatar is null && Intro is null && Announcement is null && CustomJson is null
        && JoinMode is null && InviteMode is null && BeInviteMode is null;
}
