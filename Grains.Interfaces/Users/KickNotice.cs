using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>Tells a connection it was replaced or banned; the gateway sends logout.kick and closes it.</summary>
[GenerateSerializer, Immutable, Alias("im.KickNotice")]
public sealed record KickNotice(string ConnectionId, string DeviceType, string Reason);
