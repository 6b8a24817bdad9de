namespace OrleansIm.Grains.Interfaces;

/// <summary>The values of a team's <c>join_mode</c>, <c>invite_mode</c> and <c>be_invite_mode</c> (NIM's names).</summary>
public static class TeamModes
{
    /// <summary>join_mode / be_invite_mode: no approval needed (an application joins at once; an invitee is added at once).</summary>
    public const string NoVerify = "noVerify";

    /// <summary>join_mode: an application waits for the owner or a manager; be_invite_mode: an invitee must accept.</summary>
    public const string NeedVerify = "needVerify";

    /// <summary>join_mode: applications are refused.</summary>
    public const string RejectAll = "rejectAll";

    /// <summary>invite_mode: only the owner and managers may add members.</summary>
    public const string Manager = "manager";

    /// <summary>invite_mode: every member may add members.</summary>
    public const string All = "all";

    public static bool IsJoinMode(string? value) => value is NoVerify or NeedVerify or RejectAll;

    public static bool IsInviteMode(string? value) => value is Manager or All;

    public static bool IsBeInviteMode(string? value) => value is NoVerify or NeedVerify;
}
