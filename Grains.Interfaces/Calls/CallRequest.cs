using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 001 Call-Request (the caller is the authenticated user, never a field).</summary>
[GenerateSerializer, Immutable, Alias("im.CallRequest")]
public sealed record CallRequest(string CallId, string Type, string Callee, string CallerUserName, string CalleeUserName);
