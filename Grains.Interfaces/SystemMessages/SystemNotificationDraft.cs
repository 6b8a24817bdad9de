using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>What a feature posts to a recipient's inbox; the inbox adds the id, recipient, state, read flag and time.</summary>
[GenerateSerializer, Immutable, Alias("im.SystemNotificationDraft")]
public sealed record SystemNotificationDraft(string Type, string From, string? TargetId, string? Ps, string? AttachJson);
