using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A new team: its owner, the other first members (added at once, no invitation) and its info.</summary>
[GenerateSerializer, Immutable, Alias("im.CreateTeamRequest")]
public sealed record CreateTeamRequest(string AppId, string Owner, IReadOnlyList<string> Members, TeamSettings Settings);
