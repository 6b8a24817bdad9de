using Orleans;
using Orleans.Concurrency;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A user: profile, live devices (one per device type), presence and conversation cursors. Key = user id.</summary>
[Alias("im.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the profile (seed 000 login). Throws ImException 213 if banned.</summary>
    Task<UserProfile> Login(LoginRequest request);

    /// <summary>The profile, or null if the user never logged in.</summary>
    Task<UserProfile?> GetProfile();

    /// <summary>Sets userStatus; banning kicks every live device.</summary>
    Task SetUserStatus(int userStatus);

    /// <summary>
    /// Registers a live connection. A different connection already holding the same device type is kicked
    /// (its observer gets OnKicked). Calling again with the same connection id refreshes the registration.
    /// Throws ImException 211 for an unknown user, 213 for a banned one.
    /// </summary>
    Task Connect(DeviceSession session);

    /// <summary>Removes the connection if it still holds its device type (a stale disconnect is ignored).</summary>
    Task Disconnect(string deviceType, string connectionId);

    /// <summary>Device types with a live connection.</summary>
    Task<IReadOnlyList<string>> GetOnlineDevices();

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

    /// <summary>Moves the read cursor forward (never backward).</summary>
    Task MarkRead(string convId, long seq);

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

    /// <summary>Fan-out target: pushes a new message to every live device of this user.</summary>
    [OneWay]
    Task Deliver(ChatMessage message);
}
