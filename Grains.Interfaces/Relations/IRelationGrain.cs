using Orleans;
using Orleans.Concurrency;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// One user's relations: friends (with alias), black list, mute list and muted conversations, each bounded by
/// <see cref="RelationLimits"/>. Key = user id. Changes push <see cref="RelationEventNames"/> events to the user's other
/// devices (all but <c>exceptConnectionId</c>, the device that asked and has the ack); friend requests, answers and
/// deletions reach the other user as system notifications (<see cref="ISystemInboxGrain"/>). Errors: 211 unknown user,
/// 4406 self or a bad id, 4013 a limit, 4301 the other user blacklisted this one, 4302 not a friend, 4303 no such pending request.
/// </summary>
[Alias("im.IRelationGrain")]
public interface IRelationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds <paramref name="account"/> as a friend at once (<paramref name="verify"/> false: both lists change, the other
    /// user gets friendRequest/addFriend) or asks them (true: they get friendRequest/applyFriend and answer with
    /// <see cref="AcceptFriend"/> or <see cref="RejectFriend"/>). Already friends: the entry, nothing sent.
    /// </summary>
    Task<FriendAddResult> AddFriend(string account, bool verify, string? ps, string? exceptConnectionId);

    /// <summary>Accepts <paramref name="account"/>'s pending request, notification <paramref name="sysMsgId"/> of this user's inbox (4303 if it is not one).</summary>
    Task<Friend> AcceptFriend(string account, long sysMsgId, string? exceptConnectionId);

    /// <summary>Rejects <paramref name="account"/>'s pending request; they get friendRequest/rejectFriendApply.</summary>
    Task RejectFriend(string account, long sysMsgId, string? ps, string? exceptConnectionId);

    /// <summary>Ends the friendship on both sides; the other user gets a deleteFriend notification. 4302 if not friends.</summary>
    Task DeleteFriend(string account, string? exceptConnectionId);

    /// <summary>Sets the alias of a friend ("" clears it). 4302 if not friends.</summary>
    Task<Friend> UpdateFriend(string account, string alias, string? exceptConnectionId);

    /// <summary>The friend list, oldest friendship first.</summary>
    Task<IReadOnlyList<Friend>> GetFriends();

    /// <summary>
    /// Adds <paramref name="account"/> to (or removes it from) the black list. A blacklisted user's private messages to
    /// this user are refused (4301): the private conversation of the pair (id from <paramref name="appId"/>) is told.
    /// </summary>
    Task<RelationEntry?> SetBlack(string appId, string account, bool add, string? exceptConnectionId);

    /// <summary>Adds a user to (or removes it from) the mute list; messages still arrive, clients skip notifying.</summary>
    Task<RelationEntry?> SetMute(string account, bool add, string? exceptConnectionId);

    /// <summary>Mutes (or unmutes) one conversation for this user; messages still arrive, clients skip notifying.</summary>
    Task<RelationEntry?> SetSessionMute(string convId, bool add, string? exceptConnectionId);

    Task<RelationLists> GetRelations();

    /// <summary>
    /// Called by the other user's relation grain: <paramref name="account"/> and this user become friends (a direct add or
    /// an accepted request). Refused with 4301 if this user blacklisted them, 4013 if this list is full.
    /// Interleaves: two users adding each other at once call each other.
    /// </summary>
    [AlwaysInterleave]
    Task<Friend> BefriendedBy(string account, string operation);

    /// <summary>Called by the other user's relation grain: <paramref name="account"/> ended the friendship.</summary>
    [AlwaysInterleave]
    Task UnfriendedBy(string account);

    /// <summary>Whether this user blacklisted <paramref name="account"/> (a friend request from them is refused with 4301).</summary>
    [AlwaysInterleave]
    Task<bool> IsBlacklisting(string account);
}
