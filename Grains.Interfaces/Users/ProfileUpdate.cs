using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A change of one's own name card (<c>user.update_profile</c>): null fields keep their value; ExtrasJson is a raw JSON object.</summary>
[GenerateSerializer, Immutable, Alias("im.ProfileUpdate")]
public sealed record ProfileUpdate(string? Nickname, string? Avatar, string? ExtrasJson);
