namespace OrleansIm.Grains;

/// <summary>
/// Seed 002's multi-device login and kick policies (多端登录与互踢), set per app with <c>ImGrains:DevicePolicy</c>.
/// Mobile = im_app_ios, im_app_android; desktop or web = im_web, im_pc_win, im_pc_mac.
/// </summary>
public enum DevicePolicy
{
    /// <summary>One connection per device type (seed 000): a new one kicks the previous one of its type.</summary>
    OnePerDeviceType,

    /// <summary>One desktop-or-web connection plus one mobile connection: a new one kicks the previous one of its class.</summary>
    DesktopAndMobile,

    /// <summary>One connection in all: a new one kicks every other.</summary>
    Single,

    /// <summary>No kicks, even for the same device type (up to <see cref="ImGrainOptions.MaxConnectionsPerUser"/>).</summary>
    Unlimited,
}
