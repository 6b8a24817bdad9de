using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>One gateway's part of a broadcast: how many connections it pushed the event to, or Reachable false if it did not answer.</summary>
[GenerateSerializer, Immutable, Alias("im.GatewayBroadcast")]
public sealed record GatewayBroadcast(string Gateway, bool Reachable, int Connections);
