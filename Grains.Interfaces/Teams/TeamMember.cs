using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>One member of a team: role (<see cref="TeamRoles"/>), nickname in the team ("" = none) and whether they are muted.</summary>
[GenerateSerializer, Immutable, Alias("im.TeamMember")]
public sealed record TeamMember(string TeamId, string UserId, string Role, string Nickname, bool Muted);
