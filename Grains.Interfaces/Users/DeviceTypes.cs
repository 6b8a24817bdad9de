namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 000's device types; how many live connections a user may hold per type is the device policy's business.</summary>
public static class DeviceTypes
{
    public const string Ios = "im_app_ios";
    public const string Android = "im_app_android";
    public const string Web = "im_web";
    public const string Windows = "im_pc_win";
    public const string Mac = "im_pc_mac";

    public static readonly IReadOnlyList<string> All = [Ios, Android, Web, Windows, Mac];

    public static bool IsValid(string? deviceType) => deviceType is not null && All.Contains(deviceType);

    /// <summary>The phone apps; every other type is desktop or web (the DesktopAndMobile device policy).</summary>
    public static bool IsMobile(string deviceType) => deviceType is Ios or Android;
}
