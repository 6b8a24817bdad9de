namespace OrleansIm.Grains.Interfaces;

/// <summary>Bounds of the session list (docs/protocol.md § Limits).</summary>
public static class SessionLimits
{
    /// <summary>Most sessions per page (session.list, the login sync's <c>sessions</c>).</summary>
    public const int MaxPageSize = 100;

    /// <summary>Default sessions per page.</summary>
    public const int DefaultPageSize = 20;

    /// <summary>Unread counts stop here (a client shows "999+"), so one count never reads more than this many rows.</summary>
    public const int UnreadCap = 999;
}
