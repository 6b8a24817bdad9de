namespace OrleansIm.Grains.Interfaces;

/// <summary>Values of <see cref="KickNotice.Reason"/>.</summary>
public static class KickReasons
{
    /// <summary>Another connection of the same device type logged in.</summary>
    public const string Replaced = "replaced";
    /// <summary>The user was banned.</summary>
    public const string Banned = "banned";
    /// <summary>An administrator kicked the device (admin API); it may connect again at once.</summary>
    public const string Admin = "admin";
}
