using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// What adding users did: those added at once, and those sent an invitation to accept (be_invite_mode needVerify);
/// users already in the team are in neither.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.TeamAddResult")]
public sealed record TeamAddResult(IReadOnlyList<string> Added, IReadOnlyList<string> Invited);
