using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Users;

/// <summary>Which live connections a newly registered one displaces under a <see cref="DevicePolicy"/>.</summary>
internal static class DevicePolicyRules
{
    /// <summary>
    /// The connections in <paramref name="live"/> (oldest first) that <paramref name="arriving"/> displaces. Under
    /// <see cref="DevicePolicy.Unlimited"/> only the oldest ones past <paramref name="maxConnections"/>.
    /// </summary>
    public static IReadOnlyList<DeviceSession> Displaced(DevicePolicy policy, IReadOnlyList<DeviceSession> live, DeviceSession arriving, int maxConnections) =>
        policy switch
        {
            DevicePolicy.Single => live.ToList(),
            DevicePolicy.DesktopAndMobile => live.Where(d => DeviceTypes.IsMobile(d.DeviceType) == DeviceTypes.IsMobile(arriving.DeviceType)).ToList(),
            DevicePolicy.Unlimited => live.Take(Math.Max(0, live.Count + 1 - Math.Max(1, maxConnections))).ToList(),
            _ => live.Where(d => d.DeviceType == arriving.DeviceType).ToList(),
        };
}
