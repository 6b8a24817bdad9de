namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 002's system notification types (<see cref="SystemNotification.Type"/>), named as the NIM SDK names them.</summary>
public static class SystemNotificationTypes
{
    public const string ApplyTeam = "applyTeam";
    public const string RejectTeamApply = "rejectTeamApply";
    public const string TeamInvite = "teamInvite";
    public const string RejectTeamInvite = "rejectTeamInvite";

    /// <summary>Add, apply, pass or reject: the attach's <c>type</c> says which.</summary>
    public const string FriendRequest = "friendRequest";

    public const string DeleteFriend = "deleteFriend";
}
