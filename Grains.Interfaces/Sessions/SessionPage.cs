using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>One page of the session list, newest update first; <see cref="NextCursor"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("im.SessionPage")]
public sealed record SessionPage(IReadOnlyList<SessionInfo> Sessions, string? NextCursor);
