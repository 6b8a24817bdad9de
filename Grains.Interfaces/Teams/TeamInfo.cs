using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A team (a group conversation, conv_type 3) as clients see it. Times are unix ms; CustomJson is a raw JSON object or null.</summary>
[GenerateSerializer, Immutable, Alias("im.TeamInfo")]
public sealed record TeamInfo(
    string TeamId,
    string Name,
    string Avatar,
    string Intro,
    string Announcement,
    string? CustomJson,
    string Owner,
    string JoinMode,
    string InviteMode,
    string BeInviteMode,
    bool MuteAll,
    int MemberCount,
    long CreateTime,
    long UpdateTime);
