namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 002's names of the system notification events (<see cref="ClientEvent.Name"/>).</summary>
public static class SystemNotificationEventNames
{
    /// <summary>A new notification: the notification's JSON (<see cref="SystemNotificationJson"/>).</summary>
    public const string SysMsg = "sysMsg";

    /// <summary>The unread count changed: <c>{unread}</c>.</summary>
    public const string SysMsgUnread = "sysMsgUnread";

    /// <summary>Notifications changed state: <c>{sysMsgs:[…]}</c>.</summary>
    public const string UpdateSystemMessages = "updateSystemMessages";

    /// <summary>The login sync's frame: <c>{sysMsgs:[…] newest first, unread, has_more}</c>.</summary>
    public const string SyncSysMsgs = "syncSysMsgs";
}
