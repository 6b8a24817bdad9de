using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// One live client connection of a user: its device type, a gateway-unique connection id, its observer, and the name
/// of the gateway that holds it (for admins; null from callers that do not say).
/// <see cref="TokenGeneration"/> is the generation of the static token (authType 0) the connection logged in with, so
/// the user grain refuses a revoked token in the same <see cref="IUserGrain.Connect"/> call; null for a dynamic-token or
/// callback login (authType 1 / 2), which has no generation.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.DeviceSession")]
public sealed record DeviceSession(string DeviceType, string ConnectionId, IClientObserver Observer, long? TokenGeneration = null, string? Gateway = null);
