using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A live device as the admin API shows it: device type, connection id, the gateway holding the connection (null if
/// the gateway did not say), when the user grain registered it and when its gateway last refreshed it (unix ms).
/// </summary>
[GenerateSerializer, Immutable, Alias("im.DeviceInfo")]
public sealed record DeviceInfo(string DeviceType, string ConnectionId, string? Gateway, long ConnectedAt, long RefreshedAt);
