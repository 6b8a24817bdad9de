using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A user's black list, mute list (users) and muted conversations, oldest first (seed 002 sync <c>relations</c>).</summary>
[GenerateSerializer, Immutable, Alias("im.RelationLists")]
public sealed record RelationLists(
    IReadOnlyList<RelationEntry> Blacklist,
    IReadOnlyList<RelationEntry> Mutelist,
    IReadOnlyList<RelationEntry> MutedSessions);
