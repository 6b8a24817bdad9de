using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>One live client connection of a user: its device type, a gateway-unique connection id, and its observer.</summary>
[GenerateSerializer, Immutable, Alias("im.DeviceSession")]
public sealed record DeviceSession(string DeviceType, string ConnectionId, IClientObserver Observer);
