using Orleans;
using Orleans.Concurrency;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// One user's system notifications (seed 002 <c>sysMsg</c>), persisted, newest <c>ImGrains:MaxSystemNotifications</c>
/// kept. Key = recipient user id. Features (friends, teams) post to it; the user's devices get the events.
/// </summary>
[Alias("im.ISystemInboxGrain")]
public interface ISystemInboxGrain : IGrainWithStringKey
{
    /// <summary>Stores it (state init, unread) and pushes <c>sysMsg</c> and <c>sysMsgUnread</c> to the user's devices.</summary>
    Task<SystemNotification> Post(SystemNotificationDraft draft);

    /// <summary>
    /// Sets what became of the request one notification carries and pushes <c>updateSystemMessages</c> to the user's
    /// devices. Null if the id is unknown (or dropped). Throws ImException 4406 for an unknown state.
    /// </summary>
    Task<SystemNotification?> SetState(long id, string state);

    [ReadOnly]
    Task<SystemNotification?> Get(long id);

    /// <summary>Newest first: ids below <paramref name="beforeId"/> (null = from the newest), at most <paramref name="limit"/> (1-100).</summary>
    [ReadOnly]
    Task<SystemNotificationPage> List(long? beforeId, int limit);

    [ReadOnly]
    Task<int> GetUnreadCount();

    /// <summary>
    /// Marks these ids read (empty = all); unknown ids are ignored. When the count changes the user's devices but
    /// <paramref name="exceptConnectionId"/> get <c>sysMsgUnread</c>. Returns the unread count after.
    /// </summary>
    Task<int> MarkRead(IReadOnlyList<long> ids, string? exceptConnectionId = null);
}
