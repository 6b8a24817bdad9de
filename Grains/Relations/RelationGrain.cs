using Microsoft.Extensions.Logging;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Relations;

/// <summary>
/// One user's friends, black list, mute list and muted conversations (persisted, bounded by <see cref="RelationLimits"/>).
/// A friendship lives in both users' grains: the grain acting calls the other's (<see cref="BefriendedBy"/>,
/// <see cref="UnfriendedBy"/>), which interleave so two users acting on each other at once do not wait on each other;
/// state writes are therefore chained (<see cref="SaveAsync"/>). The black list is enforced by the pair's private
/// conversation, which this grain tells on each change (<see cref="IConversationGrain.SetBlocked"/>).
/// </summary>
[GrainType("relations")]
public sealed class RelationGrain(
    [PersistentState("relations")] IPersistentState<RelationState> state, ILogger<RelationGrain> logger)
    : PersistentGrain<RelationState>(state), IRelationGrain
{
    // The last state write queued: interleaved calls must not write the same record concurrently (ETag conflicts).
    private Task _lastWrite = Task.CompletedTask;

    private string UserId => this.GetPrimaryKeyString();

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async Task<FriendAddResult> AddFriend(string account, bool verify, string? ps, string? exceptConnectionId)
    {
        await RequireOtherUserAsync(account);
        RequirePs(ps);
        if (State.Friends.TryGetValue(account, out var existing)) return new FriendAddResult(existing, null);
        RequireRoom(State.Friends.Count, RelationLimits.MaxFriends, "friends");

        if (verify)
        {
            if (await Relations(account).IsBlacklisting(UserId))
                throw new ImException(ImErrorCodes.BlockedByRecipient, "The user has blacklisted you.");
            var request = await PostAsync(account, SystemNotificationTypes.FriendRequest, ps, FriendOperations.ApplyFriend);
            Notify(RelationEvents.SyncFriend(FriendOperations.ApplyFriend, account, null), exceptConnectionId);
            return new FriendAddResult(null, request.Id);
        }

        await Relations(account).BefriendedBy(UserId, FriendOperations.AddFriend);
        var friend = await AddLocallyAsync(account);
        Notify(RelationEvents.SyncFriend(FriendOperations.AddFriend, account, friend), exceptConnectionId);
        var notice = await PostAsync(account, SystemNotificationTypes.FriendRequest, ps, FriendOperations.AddFriend);
        return new FriendAddResult(friend, notice.Id);
    }

    public async Task<Friend> AcceptFriend(string account, long sysMsgId, string? exceptConnectionId)
    {
        await RequireOtherUserAsync(account);
        var inbox = GrainFactory.GetGrain<ISystemInboxGrain>(UserId);
        await RequirePendingRequestAsync(inbox, sysMsgId, account);
        if (!State.Friends.ContainsKey(account)) RequireRoom(State.Friends.Count, RelationLimits.MaxFriends, "friends");

        await Relations(account).BefriendedBy(UserId, FriendOperations.PassFriendApply);
        var friend = State.Friends.TryGetValue(account, out var existing) ? existing : await AddLocallyAsync(account);
        await inbox.SetState(sysMsgId, SystemNotificationStates.Passed);
        Notify(RelationEvents.SyncFriend(FriendOperations.PassFriendApply, account, friend), exceptConnectionId);
        await PostAsync(account, SystemNotificationTypes.FriendRequest, null, FriendOperations.PassFriendApply);
        return friend;
    }

    public async Task RejectFriend(string account, long sysMsgId, string? ps, string? exceptConnectionId)
    {
        RequireValidId(account);
        RequirePs(ps);
        var inbox = GrainFactory.GetGrain<ISystemInboxGrain>(UserId);
        await RequirePendingRequestAsync(inbox, sysMsgId, account);
        await inbox.SetState(sysMsgId, SystemNotificationStates.Rejected);
        Notify(RelationEvents.SyncFriend(FriendOperations.RejectFriendApply, account, null), exceptConnectionId);
        await PostAsync(account, SystemNotificationTypes.FriendRequest, ps, FriendOperations.RejectFriendApply);
    }

    public async Task DeleteFriend(string account, string? exceptConnectionId)
    {
        RequireValidId(account);
        if (!State.Friends.Remove(account)) throw NotFriend(account);
        await SaveAsync();
        await Relations(account).UnfriendedBy(UserId);
        Notify(RelationEvents.SyncFriend(FriendOperations.DeleteFriend, account, null), exceptConnectionId);
        await PostAsync(account, SystemNotificationTypes.DeleteFriend, null, null);
    }

    public async Task<Friend> UpdateFriend(string account, string alias, string? exceptConnectionId)
    {
        RequireValidId(account);
        ArgumentNullException.ThrowIfNull(alias);
        if (alias.Length > RelationLimits.MaxAliasLength)
            throw new ImException(ImErrorCodes.LimitExceeded, $"alias is longer than {RelationLimits.MaxAliasLength} characters.");
        if (!State.Friends.TryGetValue(account, out var current)) throw NotFriend(account);
        var friend = current with { Alias = alias, UpdateTime = Now };
        State.Friends[account] = friend;
        await SaveAsync();
        Notify(RelationEvents.SyncFriend(FriendOperations.UpdateFriend, account, friend), exceptConnectionId);
        return friend;
    }

    public Task<IReadOnlyList<Friend>> GetFriends() =>
        Task.FromResult<IReadOnlyList<Friend>>(State.Friends.Values.OrderBy(f => f.CreateTime).ThenBy(f => f.Account, StringComparer.Ordinal).ToList());

    public async Task<RelationEntry?> SetBlack(string appId, string account, bool add, string? exceptConnectionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        if (add) await RequireOtherUserAsync(account);
        else RequireValidId(account);
        var (entry, changed) = await ChangeListAsync(State.Blacklist, account, add, RelationLimits.MaxBlacklist, "blacklisted users");
        // Told even when nothing changed here: a retry after a failed call repairs the conversation's copy.
        var convId = ConversationIds.ForPrivate(appId, UserId, account);
        await GrainFactory.GetGrain<IConversationGrain>(convId).SetBlocked(UserId, add);
        if (changed) Notify(RelationEvents.BlackListChanged(account, add, entry?.Time ?? Now), exceptConnectionId);
        return entry;
    }

    public async Task<RelationEntry?> SetMute(string account, bool add, string? exceptConnectionId)
    {
        if (add) await RequireOtherUserAsync(account);
        else RequireValidId(account);
        var (entry, changed) = await ChangeListAsync(State.Mutelist, account, add, RelationLimits.MaxMutelist, "muted users");
        if (changed) Notify(RelationEvents.MuteListChanged(account, add, entry?.Time ?? Now), exceptConnectionId);
        return entry;
    }

    public async Task<RelationEntry?> SetSessionMute(string convId, bool add, string? exceptConnectionId)
    {
        if (!ConversationIds.IsValid(convId)) throw new ImException(ImErrorCodes.InvalidParameter, "conv_id is not a valid conversation id.");
        var (entry, changed) = await ChangeListAsync(State.MutedSessions, convId, add, RelationLimits.MaxMutedSessions, "muted conversations");
        if (changed) Notify(RelationEvents.SessionMuteChanged(convId, add, entry?.Time ?? Now), exceptConnectionId);
        return entry;
    }

    public Task<RelationLists> GetRelations() => Task.FromResult(new RelationLists(
        Entries(State.Blacklist), Entries(State.Mutelist), Entries(State.MutedSessions)));

    public async Task<Friend> BefriendedBy(string account, string operation)
    {
        RequireValidId(account);
        if (State.Blacklist.ContainsKey(account)) throw new ImException(ImErrorCodes.BlockedByRecipient, "The user has blacklisted you.");
        if (State.Friends.TryGetValue(account, out var existing)) return existing;
        RequireRoom(State.Friends.Count, RelationLimits.MaxFriends, "friends (the other user's list is full)");
        var friend = await AddLocallyAsync(account);
        Notify(RelationEvents.SyncFriend(operation, account, friend), null);
        return friend;
    }

    public async Task UnfriendedBy(string account)
    {
        if (!State.Friends.Remove(account)) return;
        await SaveAsync();
        Notify(RelationEvents.SyncFriend(FriendOperations.DeleteFriend, account, null), null);
    }

    public Task<bool> IsBlacklisting(string account) => Task.FromResult(State.Blacklist.ContainsKey(account));

    private async Task<Friend> AddLocallyAsync(string account)
    {
        var now = Now;
        var friend = new Friend(account, "", now, now);
        State.Friends[account] = friend;
        await SaveAsync();
        return friend;
    }

    /// <returns>The entry after the change (null when removed) and whether the list changed.</returns>
    private async Task<(RelationEntry? Entry, bool Changed)> ChangeListAsync(Dictionary<string, long> list, string id, bool add, int max, string what)
    {
        if (add)
        {
            if (list.TryGetValue(id, out var since)) return (new RelationEntry(id, since), false);
            RequireRoom(list.Count, max, what);
            var now = Now;
            list[id] = now;
            await SaveAsync();
            return (new RelationEntry(id, now), true);
        }
        if (!list.Remove(id)) return (null, false);
        await SaveAsync();
        return (null, true);
    }

    private static IReadOnlyList<RelationEntry> Entries(Dictionary<string, long> list) =>
        list.OrderBy(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => new RelationEntry(e.Key, e.Value)).ToList();

    /// <summary>The notification must be a pending friend request (applyFriend) from <paramref name="account"/> in this user's inbox.</summary>
    private static async Task RequirePendingRequestAsync(ISystemInboxGrain inbox, long sysMsgId, string account)
    {
        var request = await inbox.Get(sysMsgId);
        if (request is null || request.Type != SystemNotificationTypes.FriendRequest || request.From != account
            || request.State != SystemNotificationStates.Init || RelationEvents.AttachType(request.AttachJson) != FriendOperations.ApplyFriend)
            throw new ImException(ImErrorCodes.FriendRequestNotFound, $"Notification {sysMsgId} is not a pending friend request from '{account}'.");
    }

    private Task<SystemNotification> PostAsync(string recipient, string type, string? ps, string? operation) =>
        GrainFactory.GetGrain<ISystemInboxGrain>(recipient).Post(new SystemNotificationDraft(
            type, UserId, null, string.IsNullOrEmpty(ps) ? null : ps, operation is null ? null : RelationEvents.Attach(operation)));

    private async Task RequireOtherUserAsync(string account)
    {
        RequireValidId(account);
        if (await GrainFactory.GetGrain<IUserGrain>(account).GetProfile() is null)
            throw new ImException(ImErrorCodes.UnknownUser, $"Unknown user '{account}'.");
    }

    private void RequireValidId(string account)
    {
        if (!UserIds.IsValid(account))
            throw new ImException(ImErrorCodes.InvalidUserId, $"User id '{account}' must be 1-{UserIds.MaxLength} letters, digits, '_' or '-'.");
        if (account == UserId) throw new ImException(ImErrorCodes.InvalidParameter, "That is yourself.");
    }

    private static void RequirePs(string? ps)
    {
        if (ps is { Length: > RelationLimits.MaxPsLength })
            throw new ImException(ImErrorCodes.LimitExceeded, $"ps is longer than {RelationLimits.MaxPsLength} characters.");
    }

    private static void RequireRoom(int count, int max, string what)
    {
        if (count >= max) throw new ImException(ImErrorCodes.LimitExceeded, $"At most {max} {what}.");
    }

    private static ImException NotFriend(string account) => new(ImErrorCodes.NotFriend, $"'{account}' is not a friend.");

    private IRelationGrain Relations(string userId) => GrainFactory.GetGrain<IRelationGrain>(userId);

    /// <summary>One-way push to this user's devices (but the one that asked).</summary>
    private void Notify(ClientEvent clientEvent, string? exceptConnectionId) =>
        FireAndForget.Run(() => GrainFactory.GetGrain<IUserGrain>(UserId).Notify(clientEvent, exceptConnectionId), logger, LogLevel.Debug,
            "Relations of {UserId}: event {Event} failed.", UserId, clientEvent.Name);

    /// <summary>Writes the current state after any write already under way (interleaved calls share this activation).</summary>
    private Task SaveAsync()
    {
        var previous = _lastWrite;
        var next = WriteAfterAsync(previous);
        _lastWrite = next;
        return next;
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch
        {
            // That write's caller got its failure; this one writes the newer state anyway.
        }
        await WriteStateAsync();
    }
}
