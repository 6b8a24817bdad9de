namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// Seed 002's friend operation types: <c>syncFriend</c>'s <c>type</c>, and the <c>attach.type</c> of a
/// <c>friendRequest</c> system notification (all but <see cref="DeleteFriend"/> and <see cref="UpdateFriend"/>).
/// </summary>
public static class FriendOperations
{
    /// <summary>Added at once, no verification (friend.add verify false).</summary>
    public const string AddFriend = "addFriend";
    /// <summary>A request waiting for the other user (friend.add verify true).</summary>
    public const string ApplyFriend = "applyFriend";
    /// <summary>A request accepted (friend.accept).</summary>
    public const string PassFriendApply = "passFriendApply";
    /// <summary>A request rejected (friend.reject).</summary>
    public const string RejectFriendApply = "rejectFriendApply";
    /// <summary>A friendship ended (friend.delete).</summary>
    public const string DeleteFriend = "deleteFriend";
    /// <summary>An alias changed (friend.update).</summary>
    public const string UpdateFriend = "updateFriend";
}
