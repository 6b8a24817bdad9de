using System.Text.Json;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Grains.Users;

/// <summary>
/// A user: persisted profile, token generation and conversation list, plus in-memory live devices (as many as the
/// device policy allows), presence watchers and delivered cursors. Presence is ONLINE while at least one device is registered.
/// </summary>
[GrainType("user")]
public sealed partial class UserGrain : PersistentGrain<UserState>, IUserGrain
{
    private readonly ImGrainOptions _options;
    private readonly ILogger<UserGrain> _logger;

    /// <summary>Seed 002's event telling a user's devices which of its devices are on.</summary>
    public const string MultiPortLoginEvent = "multiPortLogin";

    // Connection id → live connection. Gateways refresh entries by calling Connect again with the same connection id.
    private readonly Dictionary<string, LiveDevice> _devices = new(StringComparer.Ordinal);

    // Registration order of live connections (the policies kick the oldest first).
    private long _registrations;

    // Conversation id → highest seq delivered to this activation (lost on deactivation by design: too hot to persist).
    // Made at the first delivery, like the watchers at the first watch: an idle user's activation costs each socket (issue 12).
    private Dictionary<string, long>? _lastDeliveredSeq;

    private ObserverManager<IClientObserver>? _watchers;

    // The version of the last presence flip pushed to watchers (PresenceChange.Version).
    private long _presenceVersion;
    private readonly IUserIndex _index;
    private readonly IMessageStore _messages;
    private IGrainTimer? _sweepTimer;

    // Incoming deliveries back in fan-out order (one-way calls between silos may overtake each other).
    private readonly FanOutOrder _fanOutOrder = new(DateTimeOffset.UtcNow);
    private IGrainTimer? _fanOutOrderTimer;
    private static readonly TimeSpan FanOutOrderCheckPeriod = TimeSpan.FromMilliseconds(20);

    // Whether this activation has put the user in the user index (once per activation, on login or first connect).
    private bool _indexed;

    public UserGrain(
        [PersistentState("user")] IPersistentState<UserState> state, IUserIndex index, IMessageStore messages,
        IOptions<ImGrainOptions> options, ILogger<UserGrain> logger)
        : base(state)
    {
        _index = index;
        _messages = messages;
        _options = options.Value;
        _logger = logger;
    }

    private string UserId => this.GetPrimaryKeyString();

    private bool IsOnline => _devices.Count > 0;

    private int WatcherCount => _watchers?.Count ?? 0;

    public async Task<UserProfile> Login(LoginRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!UserIds.IsValid(UserId))
            throw new ImException(ImErrorCodes.InvalidUserId, $"User id '{UserId}' must be 1-{UserIds.MaxLength} letters, digits, '_' or '-'.");
        if (string.IsNullOrWhiteSpace(request.Nickname))
            throw new ImException(ImErrorCodes.MissingParameter, "nickname is required.");
        if (State.Registered && State.UserStatus == UserStatuses.Banned)
            throw new ImException(ImErrorCodes.Banned, $"User '{UserId}' is banned.");

        State.Registered = true;
        State.Nickname = request.Nickname;
        // Omitted optional fields keep their stored values, so a login that only sends id + nickname does not wipe the avatar.
        State.Avatar = request.Avatar ?? State.Avatar;
        State.ExtrasJson = request.ExtrasJson ?? State.ExtrasJson;
        State.LastLoginTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await WriteStateAsync();
        await EnsureIndexedAsync();
        return ToProfile();
    }

    public Task<UserProfile?> GetProfile()
    {
        ForgetIfUnknown();
        return Task.FromResult(State.Registered ? ToProfile() : null);
    }

    public async Task SetUserStatus(int userStatus)
    {
        if (userStatus is not (UserStatuses.Normal or UserStatuses.Banned))
            throw new ImException(ImErrorCodes.InvalidParameter, $"userStatus must be {UserStatuses.Normal} or {UserStatuses.Banned}.");
        EnsureRegistered();
        if (State.UserStatus == userStatus) return;

        State.UserStatus = userStatus;
        await WriteStateAsync();

        if (userStatus == UserStatuses.Banned) KickAll(KickReasons.Banned);
    }

    public async Task<long> RefreshTokenGeneration()
    {
        EnsureRegistered();
        State.TokenGeneration++;
        await WriteStateAsync();
        return State.TokenGeneration;
    }

    public async Task<long> RevokeTokens()
    {
        EnsureRegistered();
        State.TokenGeneration++;
        await WriteStateAsync();
        KickAll(KickReasons.Revoked);
        return State.TokenGeneration;
    }

    public async Task Connect(DeviceSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!DeviceTypes.IsValid(session.DeviceType))
            throw new ImException(ImErrorCodes.InvalidParameter, $"Unknown device type '{session.DeviceType}'.");
        if (string.IsNullOrEmpty(session.ConnectionId))
            throw new ImException(ImErrorCodes.MissingParameter, "connection id is required.");
        EnsureRegistered();
        if (State.UserStatus == UserStatuses.Banned)
            throw new ImException(ImErrorCodes.Banned, $"User '{UserId}' is banned.");

        var wasOnline = IsOnline;
        if (_devices.TryGetValue(session.ConnectionId, out var current))
        {
            // A refresh: the same observer keeps its push stream (its numbering); a re-created one starts a new stream.
            // No token check: the token was checked when the connection registered, and revoke-all removed it then.
            if (current.Session.Observer.Equals(session.Observer)) current.Pushes.Session = session;
            else current.Pushes = NewPushStream(session);
            current.Refreshed();
        }
        else
        {
            // A new registration (or one this activation does not know: after a silo move or an expiry) needs a current token.
            if (session.TokenGeneration is { } generation && generation != State.TokenGeneration)
                throw new ImException(ImErrorCodes.TokenRevoked, "The token was refreshed or revoked: get a new one.");
            var live = _devices.Values.OrderBy(d => d.Order).Select(d => d.Session).ToList();
            var displaced = DevicePolicyRules.Displaced(_options.DevicePolicy, live, session, _options.MaxConnectionsPerUser);
            foreach (var old in displaced)
            {
                _devices.Remove(old.ConnectionId);
                Kick(old, KickReasons.Replaced, session);
            }
            _devices[session.ConnectionId] = new LiveDevice(NewPushStream(session), ++_registrations);
            AnnounceDevices(session, displaced);
        }
        OnDevicesChanged(wasOnline);
        TouchCurrentCall(); // gateways re-register right after a membership change: revive a call its silo took down
        // A token from before the user index existed connects without a new login: only an indexed user shows ONLINE to presence.query.
        await EnsureIndexedAsync();
    }

    public Task Disconnect(string deviceType, string connectionId)
    {
        if (connectionId is not null && _devices.TryGetValue(connectionId, out var current) && current.Session.DeviceType == deviceType)
        {
            _devices.Remove(connectionId);
            AnnounceDevices(null, [current.Session]);
            OnDevicesChanged(wasOnline: true);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeviceSession>> GetDeviceSessions() =>
        Task.FromResult<IReadOnlyList<DeviceSession>>(_devices.Values.Select(d => d.Session).ToList());

    public Task<IReadOnlyList<DeviceInfo>> GetDeviceInfos()
    {
        RemoveExpiredDevices();
        ForgetIfUnknown();
        return Task.FromResult<IReadOnlyList<DeviceInfo>>(_devices.Values.Select(d => d.Info).ToList());
    }

    public Task<IReadOnlyList<DeviceInfo>> Kick(string? deviceType, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (deviceType is not null && !DeviceTypes.IsValid(deviceType))
            throw new ImException(ImErrorCodes.InvalidParameter, $"Unknown device type '{deviceType}'.");
        EnsureRegistered();
        var kicked = _devices.Values.Where(d => deviceType is null || d.Session.DeviceType == deviceType).ToList();
        if (kicked.Count == 0) return Task.FromResult<IReadOnlyList<DeviceInfo>>([]);

        foreach (var device in kicked)
        {
            _devices.Remove(device.Session.ConnectionId);
            Kick(device.Session, reason);
        }
        AnnounceDevices(null, kicked.Select(d => d.Session).ToList());
        OnDevicesChanged(wasOnline: true);
        return Task.FromResult<IReadOnlyList<DeviceInfo>>(kicked.Select(d => d.Info).ToList());
    }

    public async Task<bool> TryReserveCall(string callId)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        if (State.CurrentCallId is { } current && current != callId)
        {
            // Busy only if that call is really still going; a call that ended without releasing us (or whose
            // silo died before it could) must not keep this user busy forever.
            if (await GrainFactory.GetGrain<ICallGrain>(current).IsLive()) return false;
            _logger.LogInformation("User {UserId}: releasing stale call reservation {CallId}.", UserId, current);
        }
        if (State.CurrentCallId == callId) return true;
        State.CurrentCallId = callId;
        await WriteStateAsync();
        return true;
    }

    public Task<string?> GetCurrentCallId() => Task.FromResult(State.CurrentCallId);

    public async Task ReleaseCall(string callId)
    {
        if (State.CurrentCallId != callId) return;
        State.CurrentCallId = null;
        await WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> GetOnlineDevices()
    {
        RemoveExpiredDevices();
        ForgetIfUnknown();
        return Task.FromResult<IReadOnlyList<string>>(_devices.Values.Select(d => d.Session.DeviceType).Distinct().ToList());
    }

    public Task<PresenceChange> GetPresence()
    {
        RemoveExpiredDevices();
        ForgetIfUnknown();
        return Task.FromResult(CurrentPresence());
    }

    public Task WatchPresence(IClientObserver watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        (_watchers ??= new ObserverManager<IClientObserver>(_options.PresenceWatchExpiry, _logger)).Subscribe(watcher, watcher);
        EnsureSweeping();
        return Task.CompletedTask;
    }

    public Task UnwatchPresence(IClientObserver watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        _watchers?.Unsubscribe(watcher);
        return Task.CompletedTask;
    }

    public async Task JoinConversation(string convId)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        if (FindConversation(convId) is not null) return;
        State.Conversations.Add(new UserConversationState { ConvId = convId, JoinedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        await WriteStateAsync();
    }

    public async Task LeaveConversation(string convId)
    {
        ArgumentException.ThrowIfNullOrEmpty(convId);
        _lastDeliveredSeq?.Remove(convId);
        if (State.Conversations.RemoveAll(c => c.ConvId == convId) == 0) return;
        await WriteStateAsync();
    }

    public Task<IReadOnlyList<ConversationCursor>> GetConversations()
    {
        var cursors = State.Conversations
            .Select(c => new ConversationCursor(c.ConvId, c.LastReadSeq, Math.Max(c.LastReadSeq, _lastDeliveredSeq?.GetValueOrDefault(c.ConvId) ?? 0)))
            .ToList();
        return Task.FromResult<IReadOnlyList<ConversationCursor>>(cursors);
    }

    public async Task MarkRead(string convId, long seq, string? exceptConnectionId = null)
    {
        if (seq < 0) throw new ImException(ImErrorCodes.InvalidParameter, "seq must not be negative.");
        var entry = FindConversation(convId)
            ?? throw new ImException(ImErrorCodes.NotMember, $"User '{UserId}' is not in conversation '{convId}'.");
        if (seq <= entry.LastReadSeq) return; // forward only; no write for a stale or repeated mark
        entry.LastReadSeq = seq;
        await WriteStateAsync();
        await AnnounceReadAsync(entry, exceptConnectionId);
    }

    public async Task<SessionPage> GetSessions(string? cursor, int limit)
    {
        var ordered = await SessionList.LoadOrderedAsync(_messages, State.Conversations);
        return await SessionList.PageAsync(_messages, UserId, ordered, cursor, limit);
    }

    public async Task<LoginSyncView> GetLoginSyncView(int? sessionLimit)
    {
        var ordered = await SessionList.LoadOrderedAsync(_messages, State.Conversations);
        var sessions = sessionLimit is { } limit ? await SessionList.PageAsync(_messages, UserId, ordered, null, limit) : null;
        return new LoginSyncView(sessions, ordered.Select(e => new ConversationCursor(e.ConvId, e.LastReadSeq, e.LastSeq)).ToList());
    }

    public Task Deliver(ChatMessage message, long stream = 0, long number = 0)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ready = new List<ChatMessage>(1);
        _fanOutOrder.Accept(message, stream, number, ready);
        foreach (var next in ready) DeliverNow(next);
        UpdateFanOutOrderTimer();
        return Task.CompletedTask;
    }

    /// <summary>While deliveries wait behind a gap, checks often for ones overdue (a gap is normally closed within a millisecond or two).</summary>
    private void UpdateFanOutOrderTimer()
    {
        if (_fanOutOrder.Waiting > 0)
        {
            _fanOutOrderTimer ??= this.RegisterGrainTimer(ReleaseOverdueDeliveries, FanOutOrderCheckPeriod, FanOutOrderCheckPeriod);
        }
        else if (_fanOutOrderTimer is not null)
        {
            _fanOutOrderTimer.Dispose();
            _fanOutOrderTimer = null;
        }
    }

    private Task ReleaseOverdueDeliveries()
    {
        var ready = new List<ChatMessage>();
        _fanOutOrder.ReleaseOverdue(ready);
        foreach (var next in ready) DeliverNow(next);
        UpdateFanOutOrderTimer();
        return Task.CompletedTask;
    }

    private void DeliverNow(ChatMessage message)
    {
        _lastDeliveredSeq ??= new Dictionary<string, long>(StringComparer.Ordinal);
        if (message.Seq > _lastDeliveredSeq.GetValueOrDefault(message.ConvId))
            _lastDeliveredSeq[message.ConvId] = message.Seq;

        // Seed 003 no_sync: 0 = do not sync the sender's own devices (the sending side has the ack), 1 = sync them.
        if (message.FromClient == UserId && message.NoSync == 0) return;

        RemoveExpiredDevices();
        foreach (var device in _devices.Values) device.Pushes.Push(message);
    }

    public Task Notify(ClientEvent clientEvent, string? exceptConnectionId = null)
    {
        ArgumentNullException.ThrowIfNull(clientEvent);
        RemoveExpiredDevices();
        foreach (var device in _devices.Values)
        {
            var session = device.Session;
            if (session.ConnectionId == exceptConnectionId) continue;
            // A dead gateway is found by the message stream's probes; an event lost with it is in the next login sync.
            FireAndForget.Run(() => session.Observer.OnEvent(clientEvent), _logger, LogLevel.Debug,
                "User {UserId}: event {Event} to connection {ConnectionId} failed.", UserId, clientEvent.Name, session.ConnectionId);
        }
        if (_devices.Count == 0) ForgetIfUnknown();
        return Task.CompletedTask;
    }

    /// <summary>
    /// After a read cursor moved: the conversation keeps read positions for receipts (one-way), and the user's other
    /// devices get updateSession with the new unread count — the one session change a msg.new does not show them.
    /// </summary>
    private async Task AnnounceReadAsync(UserConversationState entry, string? exceptConnectionId)
    {
        _ = GrainFactory.GetGrainWithCachedType<IConversationGrain>(entry.ConvId).MemberRead(UserId, entry.LastReadSeq); // one-way
        RemoveExpiredDevices();
        if (!_devices.Values.Any(d => d.Session.ConnectionId != exceptConnectionId)) return; // nobody to tell: skip the count
        var counts = await _messages.CountUnreadAsync(UserId, [new UnreadQuery(entry.ConvId, entry.LastReadSeq)], SessionLimits.UnreadCap);
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["conv_id"] = entry.ConvId,
            ["unread"] = counts.GetValueOrDefault(entry.ConvId),
            ["last_read_seq"] = entry.LastReadSeq,
        });
        await Notify(new ClientEvent(SessionEventNames.UpdateSession, payload), exceptConnectionId);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _sweepTimer?.Dispose();
        _sweepTimer = null;
        _fanOutOrderTimer?.Dispose();
        _fanOutOrderTimer = null;
        return Task.CompletedTask;
    }


    /// <summary>
    /// A read about a user who never logged in (a typo, a probe, presence of random ids) must not keep an activation
    /// for the collection age: with nothing registered, live or watched, the activation goes after this call.
    /// </summary>
    private void ForgetIfUnknown()
    {
        if (!State.Registered && _devices.Count == 0 && WatcherCount == 0) DeactivateOnIdle();
    }

    /// <summary>
    /// presence.query answers users missing from the index OFFLINE without asking them, so a user who can be online
    /// must be in it. A failed write is logged and tried again on the next login or connect of this activation.
    /// </summary>
    private async Task EnsureIndexedAsync()
    {
        if (_indexed) return;
        try
        {
            await _index.AddAsync(UserId);
            _indexed = true;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "User {UserId}: adding to the user index failed; retried on the next login or connect.", UserId);
        }
    }

    private void EnsureRegistered()
    {
        if (!State.Registered)
            throw new ImException(ImErrorCodes.UnknownUser, $"Unknown user '{UserId}'.");
    }

    private UserConversationState? FindConversation(string convId) =>
        State.Conversations.Find(c => c.ConvId == convId);

    private UserProfile ToProfile() =>
        new(UserId, State.Nickname, State.Avatar, State.ExtrasJson, State.UserStatus, State.LastLoginTime, State.TokenGeneration);

    private PresenceChange CurrentPresence() =>
        new(UserId, IsOnline ? PresenceStatus.Online : PresenceStatus.Offline);

    /// <summary>Call after any change to the device table: pushes a presence flip and keeps the sweep running.</summary>
    private void OnDevicesChanged(bool wasOnline)
    {
        if (wasOnline != IsOnline)
        {
            // Versions grow within an activation and, by the clock, across activations (a reactivation on another silo).
            _presenceVersion = Math.Max(_presenceVersion + 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
            var change = CurrentPresence() with { Version = _presenceVersion };
            // Not awaited: Orleans' ObserverManager awaits watchers one by one and drops those that fail.
            if (_watchers is not null) _ = _watchers.Notify(w => w.OnPresence(change));
            // The last device is gone: a call this user is in cannot go on (and must not keep anyone busy).
            if (!IsOnline && State.CurrentCallId is { } callId)
                _ = GrainFactory.GetGrain<ICallGrain>(callId).PartyOffline(UserId); // one-way
        }
        EnsureSweeping();
    }

    private void RemoveExpiredDevices()
    {
        // Runs before every push: no allocation unless a device did expire.
        List<DeviceSession>? expired = null;
        foreach (var device in _devices.Values)
        {
            if (Stopwatch.GetElapsedTime(device.LastRefresh) > _options.DeviceExpiry) (expired ??= []).Add(device.Session);
        }
        if (expired is null) return;

        foreach (var session in expired)
        {
            _logger.LogInformation("User {UserId}: device {DeviceType} ({ConnectionId}) expired (not refreshed within {Expiry}).",
                UserId, session.DeviceType, session.ConnectionId, _options.DeviceExpiry);
            _devices.Remove(session.ConnectionId);
        }
        AnnounceDevices(null, expired);
        OnDevicesChanged(wasOnline: true);
    }

    /// <summary>
    /// Runs the sweep timer while there are devices or watchers, and keeps the activation from idle
    /// collection meanwhile: both live only in memory, so collecting the grain would silently drop them.
    /// </summary>
    private void EnsureSweeping()
    {
        if (_devices.Count == 0 && WatcherCount == 0)
        {
            _sweepTimer?.Dispose();
            _sweepTimer = null;
            return;
        }

        DelayDeactivation(KeepAlive);
        _sweepTimer ??= this.RegisterGrainTimer(SweepAsync, _options.SweepPeriod, _options.SweepPeriod);
    }

    private TimeSpan KeepAlive =>
        (_options.DeviceExpiry > _options.PresenceWatchExpiry ? _options.DeviceExpiry : _options.PresenceWatchExpiry) + _options.SweepPeriod * 2;

    private Task SweepAsync()
    {
        _watchers?.ClearExpired();
        RemoveExpiredDevices();
        EnsureSweeping();
        TouchCurrentCall();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A call whose silo died is active nowhere until something calls it. Touching it reactivates it, which
    /// re-arms its ring timer from the persisted deadline (or ends it at once), so its parties get their
    /// "timeout" and are released. Not awaited: the call may be waiting on this grain.
    /// </summary>
    private void TouchCurrentCall()
    {
        if (State.CurrentCallId is not { } callId) return;
        FireAndForget.Run(() => GrainFactory.GetGrain<ICallGrain>(callId).IsLive(), _logger, LogLevel.Debug, "User {UserId}: touching call {CallId} failed.", UserId, callId);
    }

    /// <summary>Kicks every live connection (ban, revoke-all); nobody is left to tell about it.</summary>
    private void KickAll(string reason)
    {
        if (_devices.Count == 0) return;
        foreach (var device in _devices.Values) Kick(device.Session, reason);
        _devices.Clear();
        OnDevicesChanged(wasOnline: true);
    }

    private void Kick(DeviceSession session, string reason, DeviceSession? by = null)
    {
        _logger.LogInformation("User {UserId}: kicking {DeviceType} connection {ConnectionId} ({Reason}).", UserId, session.DeviceType, session.ConnectionId, reason);
        var notice = new KickNotice(session.ConnectionId, session.DeviceType, reason, by?.DeviceType, by?.ConnectionId);
        // The kicked connection is already gone from the table, so a failure here needs no cleanup.
        FireAndForget.Run(() => session.Observer.OnKicked(notice), _logger, LogLevel.Warning,
            "User {UserId}: kick to connection {ConnectionId} failed.", UserId, session.ConnectionId);
    }

    private DevicePushStream NewPushStream(DeviceSession session) => new(session, _options.DeviceProbePeriod, OnPushesBroken);

    /// <summary>
    /// A device's gateway no longer has its connection (a probe or a push failed). The device is dropped through a
    /// regular Disconnect call to this grain, so the removal and any presence flip run as a proper turn and a newer
    /// connection of the same device type is never touched.
    /// </summary>
    private void OnPushesBroken(DeviceSession session, Exception? failure)
    {
        _logger.LogWarning(failure, "User {UserId}: {DeviceType} connection {ConnectionId} is gone; dropping the device.",
            UserId, session.DeviceType, session.ConnectionId);
        FireAndForget.Run(() => GrainFactory.GetGrain<IUserGrain>(UserId).Disconnect(session.DeviceType, session.ConnectionId), _logger,
            LogLevel.Warning, "User {UserId}: dropping connection {ConnectionId} failed.", UserId, session.ConnectionId);
    }

    /// <summary>
    /// Seed 002's <c>multiPortLogin</c>: after a connection arrived or went, each other live device gets the list of the
    /// user's other devices — {deviceType, connId, online, time} — those on (time = when they connected) and those just
    /// gone (online false, time = now). The arriving connection itself is not told (a STOMP client has not subscribed yet).
    /// </summary>
    private void AnnounceDevices(DeviceSession? arrived, IReadOnlyList<DeviceSession> gone)
    {
        if (_devices.Count == 0 || (arrived is null && gone.Count == 0)) return;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var recipient in _devices.Values)
        {
            var session = recipient.Session;
            if (session.ConnectionId == arrived?.ConnectionId) continue;
            var devices = new JsonArray();
            foreach (var other in _devices.Values.OrderBy(d => d.Order))
            {
                if (other.Session.ConnectionId != session.ConnectionId)
                    devices.Add(DeviceEntry(other.Session, online: true, other.ConnectedAt));
            }
            foreach (var left in gone) devices.Add(DeviceEntry(left, online: false, now));
            var clientEvent = new ClientEvent(MultiPortLoginEvent, new JsonObject { ["devices"] = devices }.ToJsonString());
            FireAndForget.Run(() => session.Observer.OnEvent(clientEvent), _logger, LogLevel.Debug,
                "User {UserId}: multiPortLogin to connection {ConnectionId} failed.", UserId, session.ConnectionId);
        }
    }

    private static JsonObject DeviceEntry(DeviceSession session, bool online, long time) => new()
    {
        ["deviceType"] = session.DeviceType,
        ["connId"] = session.ConnectionId,
        ["online"] = online,
        ["time"] = time,
    };

    /// <summary>A live connection: its numbered pushes, when its gateway last refreshed it, and when it registered.</summary>
    /// <summary>A live connection: its numbered pushes, its registration order and time, and when its gateway last refreshed it.</summary>
    private sealed class LiveDevice(DevicePushStream pushes, long order)
    {
        private long _refreshedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        public DevicePushStream Pushes { get; set; } = pushes;

        public DeviceSession Session => Pushes.Session;

        /// <summary>Stopwatch timestamp of the last registration or refresh (expiry is measured on it).</summary>
        public long LastRefresh { get; private set; } = Stopwatch.GetTimestamp();

        /// <summary>Registration order within this activation: policies displace the oldest first.</summary>
        public long Order { get; } = order;

        /// <summary>Unix ms of the registration (multiPortLogin's time, admins' connect time).</summary>
        public long ConnectedAt { get; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        public DeviceInfo Info => new(Session.DeviceType, Session.ConnectionId, Session.Gateway, ConnectedAt, _refreshedAt);

        public void Refreshed()
        {
            LastRefresh = Stopwatch.GetTimestamp();
            _refreshedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        }
    }
}
