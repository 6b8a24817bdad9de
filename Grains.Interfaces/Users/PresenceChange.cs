using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A user's presence (ONLINE/OFFLINE), as pushed to watchers and returned by queries. Pushes are not awaited one after
/// another, so Orleans may deliver a user's OFFLINE before the ONLINE it follows; <see cref="Version"/> orders them:
/// a larger version is newer (the user grain's wall clock in µs, kept increasing), and a gateway drops a push older
/// than one it already passed on. 0 = not ordered (answers to queries, which say the state at the time they ran).
/// </summary>
[GenerateSerializer, Immutable, Alias("im.PresenceChange")]
public sealed record PresenceChange(string UserId, string Status, long Version = 0);
