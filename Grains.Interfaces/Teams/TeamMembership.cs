using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A team a user is in and their member record there (the login sync's <c>teams</c> and <c>myTeamMembers</c>).</summary>
[GenerateSerializer, Immutable, Alias("im.TeamMembership")]
public sealed record TeamMembership(TeamInfo Team, TeamMember Member);
