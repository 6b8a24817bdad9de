using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// What one gateway holds right now: client connections, the distinct users among them, and connections by device
/// type and by dialect (json, stomp). <see cref="Reachable"/> is false for a registered gateway that did not answer,
/// whose counts are then zero.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.GatewayLoad")]
public sealed record GatewayLoad(
    string Gateway,
    bool Reachable,
    int Connections,
    int Users,
    IReadOnlyDictionary<string, int> ByDeviceType,
    IReadOnlyDictionary<string, int> ByDialect);
