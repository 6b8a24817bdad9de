using Orleans;
using Orleans.Concurrency;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A user: profile, live devices (as many as the device policy allows), presence and conversation cursors. Key = user id.</summary>
[Alias("im.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the profile (seed 000 login). Throws ImException 213 if banned.</summary>
    Task<UserProfile> Login(LoginRequest request);

    /// <summary>The profile, or null if the user never logged in.</summary>
    Task<UserProfile?> GetProfile();

    /// <summary>
    /// Changes the user's own name card (null fields keep theirs) and pushes <c>updateMyNameCard</c> (the new card) to the
    /// user's devices but <paramref name="exceptConnectionId"/>. Throws 211 for an unknown user, 4001 for an empty nickname.
    /// </summary>
    Task<UserProfile> UpdateProfile(ProfileUpdate update, string? exceptConnectionId);

    /// <summary>Sets userStatus; banning kicks every live device.</summary>
    Task SetUserStatus(int userStatus);

    /// <summary>
    /// Registers a live connection. Connections the device policy (ImGrains:DevicePolicy) says it displaces are kicked
    /// (their observers get OnKicked naming this one) and the user's other devices get <c>multiPortLogin</c>. Calling
    /// again with the same connection id refreshes the registration. Throws ImException 211 for an unknown user, 213
    /// for a banned one, 4011 when a new registration carries a static token generation that is no longer current.
    /// </summary>
    Task Connect(DeviceSession session);

    /// <summary>Removes the connection if it is still registered (a stale disconnect is ignored).</summary>
    Task Disconnect(string deviceType, string connectionId);

    /// <summary>Device types with a live connection (each once, even with several connections of a type).</summary>
    Task<IReadOnlyList<string>> GetOnlineDevices();

    /// <summary>
    /// Static token refresh: moves to a new token generation, so every token issued before stops being accepted for
    /// new connections, and returns the new generation (live connections stay: a token is checked when connecting).
    /// Throws ImException 211 for an unknown user.
    /// </summary>
    Task<long> RefreshTokenGeneration();

    /// <summary>
    /// Revoke-all: moves to a new token generation like <see cref="RefreshTokenGeneration"/> and kicks every live
    /// connection of the user (reason <see cref="KickReasons.Revoked"/>), whatever it logged in with. Returns the new generation.
    /// </summary>
    Task<long> RevokeTokens();

    /// <summary>ONLINE if at least one device is connected, else OFFLINE.</summary>
    Task<PresenceChange> GetPresence();

    /// <summary>Subscribes (or refreshes) a watcher to this user's presence changes; subscriptions expire unless refreshed.</summary>
    Task WatchPresence(IClientObserver watcher);

    Task UnwatchPresence(IClientObserver watcher);

    /// <summary>Adds a conversation to the user's list (called by the conversation).</summary>
    Task JoinConversation(string convId);

    Task LeaveConversation(string convId);

    /// <summary>The user's conversations with read cursors.</summary>
    Task<IReadOnlyList<ConversationCursor>> GetConversations();

    /// <summary>
    /// Moves the read cursor forward (never backward). When it moves, the user's other devices (all but
    /// <paramref name="exceptConnectionId"/>) get <c>updateSession</c> and the conversation learns the read position
    /// (receipts; a private conversation's other member gets <c>msgReceipts</c>).
    /// </summary>
    Task MarkRead(string convId, long seq, string? exceptConnectionId = null);

    /// <summary>
    /// The session list, newest update first, from <paramref name="cursor"/> (null = the start; a bad cursor is 4406),
    /// at most <paramref name="limit"/> (1-<see cref="SessionLimits.MaxPageSize"/>) sessions. Derived from the message
    /// store on each call (docs/architecture.md § Sessions), never kept per message.
    /// </summary>
    Task<SessionPage> GetSessions(string? cursor, int limit);

    /// <summary>
    /// The login sync's view: the first <paramref name="sessionLimit"/> sessions (none when null) and every conversation
    /// with its read cursor and newest stored seq, newest update first — one read of the last messages for both.
    /// </summary>
    Task<LoginSyncView> GetLoginSyncView(int? sessionLimit);

    /// <summary>Every live device session (calls ring all of them).</summary>
    Task<IReadOnlyList<DeviceSession>> GetDeviceSessions();

    /// <summary>The live devices as admins see them: connection, gateway, connect and last refresh times (admin API).</summary>
    Task<IReadOnlyList<DeviceInfo>> GetDeviceInfos();

    /// <summary>
    /// Kicks every live device, or only the one of <paramref name="deviceType"/> if given: each gets OnKicked with
    /// <paramref name="reason"/> (a <see cref="KickReasons"/> value) and is dropped. Unlike a ban the user may connect
    /// again at once. Returns the devices kicked (none if nothing was connected).
    /// </summary>
    Task<IReadOnlyList<DeviceInfo>> Kick(string? deviceType, string reason);

    /// <summary>
    /// Marks the user as in this call; false if another live call holds them (ringing counts). A stale
    /// reservation — its call ended or is gone — is released on the spot, so busy never sticks.
    /// </summary>
    Task<bool> TryReserveCall(string callId);

    /// <summary>The call this user is in (ringing counts), if any — HTTP hangup (seed 001) has an empty body.</summary>
    Task<string?> GetCurrentCallId();

    /// <summary>Releases the reservation if this call holds it.</summary>
    Task ReleaseCall(string callId);

    /// <summary>
    /// Pushes a named event to every live device of this user, except the connection <paramref name="exceptConnectionId"/>
    /// (the device whose request caused it and already has the answer), if given.
    /// </summary>
    [OneWay]
    Task Notify(ClientEvent clientEvent, string? exceptConnectionId = null);

    /// <summary>
    /// Fan-out target: pushes a new message to every live device of this user. A conversation activation numbers what it
    /// fans out to each member (<paramref name="number"/> 1, 2, … in its <paramref name="stream"/>); one-way calls may
    /// arrive out of order between silos, and the user grain puts them back in that order before pushing. Stream 0 is
    /// unordered (pushed as it comes).
    /// </summary>
    [OneWay]
    Task Deliver(ChatMessage message, long stream = 0, long number = 0);
}
