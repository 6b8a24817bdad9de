using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A call's current state as seen by its parties.</summary>
[GenerateSerializer, Immutable, Alias("im.CallInfo")]
public sealed record CallInfo(string CallId, string Type, string Caller, string Callee, string Phase, long StartedAt, string? EndReason);
