using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A user's presence (ONLINE/OFFLINE), as pushed to watchers and returned by queries.</summary>
[GenerateSerializer, Immutable, Alias("im.PresenceChange")]
public sealed record PresenceChange(string UserId, string Status);
