using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 000 login body, minus the id (the grain key).</summary>
[GenerateSerializer, Immutable, Alias("im.LoginRequest")]
public sealed record LoginRequest(string Nickname, string? Avatar, string? Device, string? ExtrasJson);
