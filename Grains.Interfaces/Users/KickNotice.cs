using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// Tells a connection it was replaced, banned or its tokens revoked; the gateway sends <c>kicked</c> and
/// <c>logout.kick</c> and closes it. ByDeviceType/ByConnectionId name the connection that took its place (replaced only).
/// </summary>
[GenerateSerializer, Immutable, Alias("im.KickNotice")]
public sealed record KickNotice(string ConnectionId, string DeviceType, string Reason, string? ByDeviceType = null, string? ByConnectionId = null);
