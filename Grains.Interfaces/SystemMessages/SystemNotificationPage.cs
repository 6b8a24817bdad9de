using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A page of notifications, newest first; <see cref="HasMore"/> when older ones remain.</summary>
[GenerateSerializer, Immutable, Alias("im.SystemNotificationPage")]
public sealed record SystemNotificationPage(IReadOnlyList<SystemNotification> Items, bool HasMore);
