using OrleansIm.Runtime;

namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 000 login body, minus the id (the grain key).</summary>
[GenerateSerializer]
public sealed record LoginRequest(string Nickname, string? Avatar, string? Device, string? ExtrasJson);
