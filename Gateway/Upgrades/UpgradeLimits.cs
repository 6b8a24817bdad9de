using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OrleansIm.Gateway.Upgrades;

/// <summary>The limits a direct upgrade's handshake is held to: Kestrel's own, so operators configure them in one place.</summary>
/// <param name="MaxRequestLineBytes">Kestrel's MaxRequestLineSize (8 KiB by default): longer is 414.</param>
/// <param name="MaxHeadBytes">Request line plus MaxRequestHeadersTotalSize (32 KiB): longer is 431.</param>
/// <param name="MaxHeaderCount">Kestrel's MaxRequestHeaderCount (100): more is 431.</param>
/// <param name="FirstBytesTimeout">KeepAliveTimeout (130 s): a connection that sends nothing is closed.</param>
/// <param name="HeadTimeout">RequestHeadersTimeout (30 s): a head not complete by then is closed.</param>
/// <param name="MaxUpgradedConnections">MaxConcurrentUpgradedConnections (none): open sockets; past it an upgrade is answered 400, as on Kestrel's HTTP/1 route.</param>
public sealed record UpgradeLimits(
    int MaxRequestLineBytes, int MaxHeadBytes, int MaxHeaderCount, TimeSpan FirstBytesTimeout, TimeSpan HeadTimeout, long? MaxUpgradedConnections = null)
{
    public static UpgradeLimits From(KestrelServerLimits limits) => new(
        limits.MaxRequestLineSize,
        limits.MaxRequestLineSize + limits.MaxRequestHeadersTotalSize,
        limits.MaxRequestHeaderCount,
        limits.KeepAliveTimeout,
        limits.RequestHeadersTimeout,
        limits.MaxConcurrentUpgradedConnections);
}
