using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.SystemMessages;

/// <summary>The persisted inbox: notifications oldest first (at most ImGrains:MaxSystemNotifications) and the next id.</summary>
[GenerateSerializer, Alias("im.SystemInboxState")]
public sealed class SystemInboxState
{
    [Id(0)]
    public List<SystemNotification> Items { get; set; } = [];

    /// <summary>Ids keep increasing after old notifications are dropped, so a client's "before" cursor stays meaningful.</summary>
    [Id(1)]
    public long LastId { get; set; }
}
