using Microsoft.Extensions.Options;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.SystemMessages;

/// <summary>
/// One user's system notifications: a bounded, persisted list (newest ImGrains:MaxSystemNotifications), written on
/// every change — notifications are rare next to messages, so one small state write each is fine. Events go to the
/// user's devices through the user grain, which knows them.
/// </summary>
[GrainType("sysinbox")]
public sealed class SystemInboxGrain(
    [PersistentState("sysinbox")] IPersistentState<SystemInboxState> state, IOptions<ImGrainOptions> options)
    : PersistentGrain<SystemInboxState>(state), ISystemInboxGrain
{
    private readonly int _max = options.Value.MaxSystemNotifications;

    private string UserId => this.GetPrimaryKeyString();

    private IUserGrain User => GrainFactory.GetGrain<IUserGrain>(UserId);

    public async Task<SystemNotification> Post(SystemNotificationDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var notification = new SystemNotification(State.LastId + 1, draft.Type, draft.From, UserId, draft.TargetId, draft.Ps,
            draft.AttachJson, SystemNotificationStates.Init, Read: false, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        State.LastId = notification.Id;
        // A request repeated while the earlier one is still pending replaces it (the new id is the one to answer), so one
        // sender holds at most one pending request per kind and target here and cannot push everything else out.
        var attachType = Relations.RelationEvents.AttachType(draft.AttachJson);
        State.Items.RemoveAll(item => item.State == SystemNotificationStates.Init && item.Type == draft.Type && item.From == draft.From &&
            item.TargetId == draft.TargetId && Relations.RelationEvents.AttachType(item.AttachJson) == attachType);
        State.Items.Add(notification);
        if (State.Items.Count > _max) State.Items.RemoveRange(0, State.Items.Count - _max);
        await WriteStateAsync();
        _ = User.Notify(new ClientEvent(SystemNotificationEventNames.SysMsg, SystemNotificationJson.Write(notification))); // one-way
        _ = User.Notify(new ClientEvent(SystemNotificationEventNames.SysMsgUnread, SystemNotificationJson.WriteUnread(Unread())));
        return notification;
    }

    public async Task<SystemNotification?> SetState(long id, string state)
    {
        if (!SystemNotificationStates.IsValid(state)) throw new ImException(ImErrorCodes.InvalidParameter, $"Unknown notification state '{state}'.");
        var index = IndexOf(id);
        if (index < 0) return null;
        var updated = State.Items[index] with { State = state };
        if (updated == State.Items[index]) return updated;
        State.Items[index] = updated;
        await WriteStateAsync();
        _ = User.Notify(new ClientEvent(SystemNotificationEventNames.UpdateSystemMessages, SystemNotificationJson.WriteList([updated])));
        return updated;
    }

    public Task<SystemNotification?> Get(long id)
    {
        var index = IndexOf(id);
        return Task.FromResult(index < 0 ? null : State.Items[index]);
    }

    public Task<SystemNotificationPage> List(long? beforeId, int limit)
    {
        if (limit is < 1 or > SystemNotificationLimits.MaxPageSize)
            throw new ImException(ImErrorCodes.InvalidParameter, $"limit must be 1-{SystemNotificationLimits.MaxPageSize}.");
        var page = new List<SystemNotification>(Math.Min(limit, State.Items.Count));
        var i = State.Items.Count - 1;
        while (i >= 0 && beforeId is { } before && State.Items[i].Id >= before) i--;
        for (; i >= 0 && page.Count < limit; i--) page.Add(State.Items[i]);
        return Task.FromResult(new SystemNotificationPage(page, HasMore: i >= 0));
    }

    public Task<int> GetUnreadCount() => Task.FromResult(Unread());

    public async Task<int> MarkRead(IReadOnlyList<long> ids, string? exceptConnectionId = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count > SystemNotificationLimits.MaxIdsPerRead)
            throw new ImException(ImErrorCodes.LimitExceeded, $"At most {SystemNotificationLimits.MaxIdsPerRead} ids per read.");
        var wanted = ids.Count == 0 ? null : new HashSet<long>(ids);
        var changed = false;
        for (var i = 0; i < State.Items.Count; i++)
        {
            var item = State.Items[i];
            if (item.Read || (wanted is not null && !wanted.Contains(item.Id))) continue;
            State.Items[i] = item with { Read = true };
            changed = true;
        }
        var unread = Unread();
        if (!changed) return unread;
        await WriteStateAsync();
        _ = User.Notify(new ClientEvent(SystemNotificationEventNames.SysMsgUnread, SystemNotificationJson.WriteUnread(unread)), exceptConnectionId);
        return unread;
    }

    private int Unread() => State.Items.Count(n => !n.Read);

    private int IndexOf(long id) => State.Items.FindIndex(n => n.Id == id); // a few hundred at most
}
