using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A page of a team's members in join order; NextOffset is where the next page starts (null on the last page).</summary>
[GenerateSerializer, Immutable, Alias("im.TeamMemberPage")]
public sealed record TeamMemberPage(IReadOnlyList<TeamMember> Members, int? NextOffset);
