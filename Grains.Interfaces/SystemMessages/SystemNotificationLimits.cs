namespace OrleansIm.Grains.Interfaces;

/// <summary>Bounds of the system notification API.</summary>
public static class SystemNotificationLimits
{
    /// <summary>Most notifications per list page (<c>sysmsg.list</c>, <c>syncSysMsgs</c>).</summary>
    public const int MaxPageSize = 100;

    /// <summary>Most ids one <c>sysmsg.read</c> names.</summary>
    public const int MaxIdsPerRead = 100;
}
