using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>One entry of a user's friend list: the friend's id, the alias the user gave them ("" = none), when they
/// became friends and when the entry last changed (unix ms).</summary>
[GenerateSerializer, Immutable, Alias("im.Friend")]
public sealed record Friend(string Account, string Alias, long CreateTime, long UpdateTime);
