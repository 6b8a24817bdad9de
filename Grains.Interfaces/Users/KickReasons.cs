namespace OrleansIm.Grains.Interfaces;

/// <summary>Values of <see cref="KickNotice.Reason"/>.</summary>
public static class KickReasons
{
    /// <summary>Another connection logged in and the device policy (ImGrains:DevicePolicy) let it take this one's place.</summary>
    public const string Replaced = "replaced";
    /// <summary>The user's tokens were revoked through the server API (POST /openapi/v1/user/token/revoke).</summary>
    public const string Revoked = "revoked";
    /// <summary>The user was banned.</summary>
    public const string Banned = "banned";
    /// <summary>An administrator kicked the device (admin API); it may connect again at once.</summary>
    public const string Admin = "admin";
}
