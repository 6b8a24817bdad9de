namespace OrleansIm.Grains.Interfaces;

/// <summary>Bounds of one user's relations (docs/security.md § Limits); past them a change is ImException 4013.</summary>
public static class RelationLimits
{
    /// <summary>Most friends a user may have; adding past it (on either side) is 4013.</summary>
    public const int MaxFriends = 3000;

    /// <summary>Most users on one black list.</summary>
    public const int MaxBlacklist = 1000;

    /// <summary>Most users on one mute list.</summary>
    public const int MaxMutelist = 1000;

    /// <summary>Most muted conversations of one user.</summary>
    public const int MaxMutedSessions = 1000;

    /// <summary>Longest alias a user gives a friend (chars).</summary>
    public const int MaxAliasLength = 64;

    /// <summary>Longest text attached to a friend request or rejection (chars; the system notification's ps).</summary>
    public const int MaxPsLength = 500;

    /// <summary>Most users one <c>user.get</c> (or GET /im/users) looks up.</summary>
    public const int MaxProfileLookup = 150;
}
