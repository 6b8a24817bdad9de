namespace OrleansIm.Grains.Interfaces;

/// <summary>Size limits of team fields and requests (4013 beyond them); documented in docs/protocol.md § Teams.</summary>
public static class TeamLimits
{
    public const int MaxNameLength = 64;
    public const int MaxAvatarLength = 1024;
    public const int MaxIntroLength = 512;
    public const int MaxAnnouncementLength = 2048;
    public const int MaxCustomLength = 8192;
    public const int MaxNicknameLength = 64;

    /// <summary>Free text attached to an invitation, application or rejection (seed 002 <c>ps</c>).</summary>
    public const int MaxPsLength = 500;

    /// <summary>User ids in one request (add/remove members, managers, mute).</summary>
    public const int MaxIdsPerRequest = 200;

    /// <summary>Managers a team may have besides its owner.</summary>
    public const int MaxManagers = 50;

    /// <summary>Members per <c>team.members</c> page (default 50).</summary>
    public const int MaxMembersPage = 100;
    public const int DefaultMembersPage = 50;
}
