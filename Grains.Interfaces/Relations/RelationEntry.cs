using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>One entry of a black list, mute list or muted-conversation list: a user id (or conversation id) and when it was added (unix ms).</summary>
[GenerateSerializer, Immutable, Alias("im.RelationEntry")]
public sealed record RelationEntry(string Id, long Time);
