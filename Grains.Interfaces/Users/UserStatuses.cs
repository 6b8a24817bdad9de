namespace OrleansIm.Grains.Interfaces;

/// <summary>Values of <see cref="UserProfile.UserStatus"/>.</summary>
public static class UserStatuses
{
    public const int Normal = 1;
    public const int Banned = 2;
}
