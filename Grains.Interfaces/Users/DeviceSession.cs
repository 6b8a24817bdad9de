using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// One live client connection of a user: its device type, a gateway-unique connection id, its observer, and the name
/// of the gateway that holds it (for admins; null from callers that do not say).
/// </summary>
[GenerateSerializer, Immutable, Alias("im.DeviceSession")]
public sealed record DeviceSession(string DeviceType, string ConnectionId, IClientObserver Observer, string? Gateway = null);
