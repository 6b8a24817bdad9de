using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Calls;

/// <summary>
/// One seed 001 call (see <see cref="ICallGrain"/> for the rules). Only <see cref="Request"/> awaits user grains:
/// a user grain awaits <see cref="IsLive"/> of its current call, so any other await on a user here could close a
/// cycle. Everything else (pushes, releases, device look-ups) is fired and logged.
/// </summary>
[GrainType("call")]
public sealed class CallGrain : PersistentGrain<CallGrainState>, ICallGrain, IRemindable
{
    /// <summary>
    /// The backstop for the ring timer: a grain timer dies with its silo, and when both parties are offline
    /// nothing else would reactivate the call, so a reminder (persisted by the cluster's reminder service)
    /// brings it back at the deadline to time out and release both parties.
    /// </summary>
    private const string RingReminder = "ring-deadline";

    /// <summary>Brings an ended call back after <see cref="ImGrainOptions.EndedCallRetention"/> to clear its stored state.</summary>
    private const string ExpiryReminder = "ended-expiry";

    /// <summary>
    /// The call's reminders tick first just after their deadline (the timer normally wins), then every period until the
    /// call forgets them. A silo that loads a reminder after its first tick passed (its silo died, the new owner came up
    /// later) skips to the next tick of that cadence, so the period bounds how late a ring timeout can come after a
    /// failover. Orleans' default minimum period (1 minute) is lowered to this in <see cref="ImGrainsSiloBuilderExtensions.AddImGrains"/>.
    /// </summary>
    internal static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RingReminderSlack = TimeSpan.FromSeconds(1);

    private const string ReasonHangup = "hangup";
    private const string ReasonRejected = "rejected";
    private const string ReasonTimeout = "timeout";
    private const string ReasonOffline = "offline";

    private readonly ImGrainOptions _options;
    private readonly ILogger<CallGrain> _logger;

    // Live sessions by connection id; not persisted (observer references cannot be), rebuilt from later actions.
    private readonly Dictionary<string, DeviceSession> _sessions = new(StringComparer.Ordinal);

    // Pushes leave in the order they were made (signals must stay in order) even when one waits for a device look-up.
    private Task _pushTail = Task.CompletedTask;
    private IGrainTimer? _ringTimer;
    private bool _requesting;

    public CallGrain([PersistentState("call")] IPersistentState<CallGrainState> state, IOptions<ImGrainOptions> options, ILogger<CallGrain> logger)
        : base(state)
    {
        _options = options.Value;
        _logger = logger;
    }

    private string CallId => this.GetPrimaryKeyString();

    private bool IsRinging => State.Phase == CallPhases.Ringing;

    private bool IsEnded => State.Phase == CallPhases.Ended;

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private bool IsExpired => IsEnded && Now >= (State.EndedAt ?? 0) + (long)_options.EndedCallRetention.TotalMilliseconds;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The request that activated this call then finds it unknown (and lets the activation go).
        if (await ExpireIfDueAsync()) return;
        if (!IsRinging) return;
        var remaining = State.RingDeadline - Now;
        if (remaining <= 0)
        {
            // Failover after the deadline: nobody may stay busy waiting for a timer that died with the old silo.
            await EndAsync(ReasonTimeout, CallEventKinds.Timeout, NotifyTimeout);
            return;
        }
        ArmRingTimer(TimeSpan.FromMilliseconds(remaining));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _ringTimer?.Dispose();
        _ringTimer = null;
        return Task.CompletedTask;
    }

    public async Task<CallInfo> Request(string caller, DeviceSession? callerDevice, CallRequest request)
    {
        ArgumentException.ThrowIfNullOrEmpty(caller);
        await ExpireIfDueAsync();
        try
        {
            return await RequestNewAsync(caller, callerDevice, request);
        }
        finally
        {
            // A refused request (bad fields, unknown or offline callee, busy) leaves no call: no activation kept either.
            ForgetIfUnknown();
        }
    }

    private async Task<CallInfo> RequestNewAsync(string caller, DeviceSession? callerDevice, CallRequest request)
    {
        if (request is null) throw new ImException(ImErrorCodes.CallBadRequest, "The call request is required.");
        Validate(request);
        if (State.Phase is not null)
            throw new ImException(ImErrorCodes.CallConflict, $"Call '{CallId}' was already requested; use a new callId.");
        if (request.Callee == caller)
            throw FieldError("callee", request.Callee, "must not be the caller");

        var callee = GrainFactory.GetGrain<IUserGrain>(request.Callee);
        if (await callee.GetProfile() is null)
            throw FieldError("callee", request.Callee, "user does not exist");
        var ringing = await callee.GetDeviceSessions();
        // Decision: no online device fails fast instead of ringing nobody for 30 s (there is no offline push here).
        if (ringing.Count == 0)
            throw new ImException(ImErrorCodes.CallNotFound, "callee offline");

        var callerUser = GrainFactory.GetGrain<IUserGrain>(caller);
        // While the reservations are being taken this call counts as live (IsLive interleaves with this turn):
        // two users calling each other at once then find each other busy instead of both winning.
        _requesting = true;
        try
        {
            return await RingAsync(caller, callerDevice, request, callee, callerUser, ringing);
        }
        finally
        {
            _requesting = false;
        }
    }

    private async Task<CallInfo> RingAsync(
        string caller, DeviceSession? callerDevice, CallRequest request, IUserGrain callee, IUserGrain callerUser, IReadOnlyList<DeviceSession> ringing)
    {
        if (!await callee.TryReserveCall(CallId))
        {
            Release(request.Callee);
            throw new ImException(ImErrorCodes.CalleeBusy, "callee busy");
        }
        if (!await callerUser.TryReserveCall(CallId))
        {
            Release(request.Callee);
            Release(caller);
            throw new ImException(ImErrorCodes.CalleeBusy, "caller busy: already in another call");
        }

        var now = Now;
        State = new CallGrainState
        {
            Phase = CallPhases.Ringing,
            Type = request.Type,
            Caller = caller,
            Callee = request.Callee,
            CallerUserName = request.CallerUserName,
            CalleeUserName = request.CalleeUserName,
            StartedAt = now,
            RingDeadline = now + (long)_options.CallRingTimeout.TotalMilliseconds,
            CallerDevice = Ref(callerDevice),
            RingingDevices = ringing.Select(s => Ref(s)!).ToList(),
        };
        try
        {
            await WriteStateAsync();
        }
        catch
        {
            Release(request.Callee);
            Release(caller);
            State = new CallGrainState(); // the failed write also dropped this activation
            throw;
        }

        Remember(callerDevice);
        foreach (var session in ringing) Remember(session);
        ArmRingTimer(_options.CallRingTimeout);
        try
        {
            await SetRingReminderAsync();
        }
        catch (Exception ex)
        {
            // The timer still ends the call on time while this silo lives; only the failover backstop is missing.
            _logger.LogWarning(ex, "Call {CallId}: could not set the ring reminder.", CallId);
        }

        var payload = Json(w =>
        {
            w.WriteString("callId", CallId);
            w.WriteString("type", State.Type);
            w.WriteString("callee", State.Callee);
            w.WriteString("callerUserName", State.CallerUserName);
            w.WriteString("calleeUserName", State.CalleeUserName);
            w.WriteString("caller", State.Caller);
        });
        Push(State.Callee, RingingIds(), new CallEvent(CallEventKinds.Request, CallId, payload));
        _logger.LogInformation("Call {CallId}: {Caller} rings {Callee} on {Devices} device(s).", CallId, caller, State.Callee, ringing.Count);
        return ToInfo();
    }

    public async Task<CallInfo> Respond(string userId, DeviceSession? device, string responseType)
    {
        await ExpireIfDueAsync();
        if (!CallResponseTypes.IsValid(responseType))
            throw FieldError("type", responseType, "must be ACCEPT or REJECT");
        RequireExists();
        if (userId != State.Callee)
            throw new ImException(ImErrorCodes.CallForbidden, "Only the callee may answer this call.");
        await EndIfRingExpiredAsync();
        if (!IsRinging)
            throw new ImException(ImErrorCodes.CallConflict, $"Call '{CallId}' is not ringing ({Describe()}).");

        Remember(device);
        var response = new CallEvent(CallEventKinds.Response, CallId, Json(w =>
        {
            w.WriteString("callId", CallId);
            w.WriteString("type", responseType);
        }));
        // The contract: over HTTP (no device) the callee's devices are not told "down" — the HTTP client may be one of them.
        var others = device is null ? [] : RingingIds().Where(id => id != device.ConnectionId).ToList();

        if (responseType == CallResponseTypes.Accept)
        {
            _ringTimer?.Dispose();
            _ringTimer = null;
            State.Phase = CallPhases.Active;
            State.AnsweredAt = Now;
            State.CalleeDevice = Ref(device);
            await WriteStateAsync();
            await ForgetRingReminderAsync();
            Push(State.Caller, CallerIds(), response);
            PushDown(others);
        }
        else
        {
            await EndAsync(ReasonRejected, CallEventKinds.Response, () =>
            {
                Push(State.Caller, CallerIds(), response);
                PushDown(others);
            });
        }
        return ToInfo();
    }

    public async Task<CallInfo> Hangup(string userId, DeviceSession? device)
    {
        await ExpireIfDueAsync();
        RequireExists();
        RequireParty(userId);
        await EndIfRingExpiredAsync();
        if (IsEnded)
            throw new ImException(ImErrorCodes.CallConflict, $"Call '{CallId}' already ended ({Describe()}).");

        Remember(device);
        var wasRinging = IsRinging;
        await EndAsync(ReasonHangup, CallEventKinds.Hangup, () =>
        {
            var hangup = SimpleEvent(CallEventKinds.Hangup);
            if (userId == State.Caller)
            {
                Push(State.Callee, wasRinging ? RingingIds() : CalleeIds(), hangup);
            }
            else
            {
                Push(State.Caller, CallerIds(), hangup);
                // The callee declined from one device: its other ringing devices close their call window.
                if (wasRinging && device is not null) PushDown(RingingIds().Where(id => id != device.ConnectionId).ToList());
            }
        });
        return ToInfo();
    }

    public async Task Signal(string userId, DeviceSession? device, string signalType, string payloadJson)
    {
        if (!SignalTypes.IsValid(signalType))
            throw FieldError("type", signalType, "must be OFFER, ANSWER or ICE_CANDIDATE");
        if (string.IsNullOrEmpty(payloadJson))
            throw FieldError("payload", null, "must not be null");
        if (payloadJson.Length > CallLimits.MaxSignalPayloadLength)
            throw FieldError("payload", payloadJson[..40], $"must be at most {CallLimits.MaxSignalPayloadLength} characters");
        await ExpireIfDueAsync();
        RequireExists();
        RequireParty(userId);
        await EndIfRingExpiredAsync();
        if (State.Phase != CallPhases.Active)
            throw new ImException(ImErrorCodes.CallConflict, $"Call '{CallId}' is not active ({Describe()}); signal after ACCEPT.");

        Remember(device);
        string body;
        try
        {
            body = Json(w =>
            {
                w.WriteString("callId", CallId);
                w.WriteString("type", signalType);
                w.WritePropertyName("payload");
                w.WriteRawValue(payloadJson, skipInputValidation: false);
            });
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw FieldError("payload", payloadJson.Length > 40 ? payloadJson[..40] : payloadJson, "must be valid JSON");
        }

        var signal = new CallEvent(CallEventKinds.Signaling, CallId, body);
        if (userId == State.Caller) Push(State.Callee, CalleeIds(), signal);
        else Push(State.Caller, CallerIds(), signal);
    }

    public async Task<CallInfo?> GetInfo()
    {
        await ExpireIfDueAsync();
        await EndIfRingExpiredAsync();
        ForgetIfUnknown();
        return State.Phase is null ? null : ToInfo();
    }

    public Task<bool> IsLive() =>
        // No await and no write here: a user grain is waiting on this answer, possibly for this very call's Request.
        Task.FromResult(_requesting || State.Phase == CallPhases.Active || (IsRinging && Now < State.RingDeadline));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ExpiryReminder)
        {
            // Early (a clock skew) or late: the next tick, a minute on, tries again; a call that no longer exists just stops it.
            if (!IsEnded) await ForgetReminderAsync(ExpiryReminder);
            else await ExpireIfDueAsync();
            ForgetIfUnknown();
            return;
        }
        if (reminderName != RingReminder) return;
        if (IsRinging && Now < State.RingDeadline)
        {
            // Woken early (a reactivation races the deadline): the timer re-armed on activation covers it.
            return;
        }
        await EndIfRingExpiredAsync();
        await ForgetRingReminderAsync();
    }

    public async Task PartyOffline(string userId)
    {
        ForgetIfUnknown();
        if (State.Phase is null || IsEnded || (userId != State.Caller && userId != State.Callee)) return;
        var wasRinging = IsRinging;
        _logger.LogInformation("Call {CallId}: {UserId} went offline; ending the call.", CallId, userId);
        await EndAsync(ReasonOffline, CallEventKinds.Hangup, () =>
        {
            var hangup = SimpleEvent(CallEventKinds.Hangup);
            if (userId == State.Caller) Push(State.Callee, wasRinging ? RingingIds() : CalleeIds(), hangup);
            else Push(State.Caller, CallerIds(), hangup);
        });
    }

    private async Task OnRingTimeoutAsync()
    {
        _ringTimer?.Dispose();
        _ringTimer = null;
        if (!IsRinging) return;
        _logger.LogInformation("Call {CallId}: not answered in time.", CallId);
        await EndAsync(ReasonTimeout, CallEventKinds.Timeout, NotifyTimeout);
    }

    private void NotifyTimeout()
    {
        var timeout = SimpleEvent(CallEventKinds.Timeout);
        Push(State.Caller, CallerIds(), timeout);
        Push(State.Callee, RingingIds(), timeout);
    }

    /// <summary>A ringing call whose deadline passed while its timer could not fire (e.g. a tick still queued) ends now.</summary>
    private async Task EndIfRingExpiredAsync()
    {
        if (IsRinging && Now >= State.RingDeadline)
            await EndAsync(ReasonTimeout, CallEventKinds.Timeout, NotifyTimeout);
    }

    /// <summary>
    /// Ends the call: persists ENDED, then notifies and releases both reservations. The notification runs even if
    /// the write fails (the parties must not wait on a call that is over in memory); the failure is still thrown.
    /// </summary>
    private async Task EndAsync(string reason, string kind, Action notify)
    {
        var wasRinging = IsRinging;
        _ringTimer?.Dispose();
        _ringTimer = null;
        State.Phase = CallPhases.Ended;
        State.EndReason = reason;
        State.EndedAt = Now;
        try
        {
            await WriteStateAsync();
        }
        finally
        {
            notify();
            Release(State.Caller);
            Release(State.Callee);
            _logger.LogInformation("Call {CallId} ended ({Reason}, {Kind}).", CallId, reason, kind);
        }
        if (wasRinging) await ForgetRingReminderAsync();
        await SetExpiryReminderAsync();
    }

    /// <summary>
    /// An ended call past its retention is cleared from storage (Orleans ClearStateAsync) and forgotten: from then on
    /// it answers like a call that never existed. True if it was cleared.
    /// </summary>
    private async Task<bool> ExpireIfDueAsync()
    {
        if (!IsExpired) return false;
        await ClearStateAsync();
        State = new CallGrainState();
        _sessions.Clear();
        _logger.LogInformation("Call {CallId}: ended call expired; its state is cleared.", CallId);
        await ForgetReminderAsync(ExpiryReminder);
        return true;
    }

    /// <summary>The reminder, unlike a timer, outlives this activation (collected long before a retention of an hour).</summary>
    private async Task SetExpiryReminderAsync()
    {
        var due = TimeSpan.FromMilliseconds(Math.Max((State.EndedAt ?? Now) + (long)_options.EndedCallRetention.TotalMilliseconds - Now, 0)) + RingReminderSlack;
        try
        {
            await this.RegisterOrUpdateReminder(ExpiryReminder, due, ReminderPeriod);
        }
        catch (Exception ex)
        {
            // Then the state stays until a later request finds it expired and clears it.
            _logger.LogWarning(ex, "Call {CallId}: could not set the expiry reminder.", CallId);
        }
    }

    /// <summary>A call that does not exist (never requested, refused, or expired) keeps no activation after this call.</summary>
    private void ForgetIfUnknown()
    {
        if (State.Phase is null) DeactivateOnIdle();
    }

    /// <summary>The reminder is a backstop for a silo's death; it fires at the deadline, or right away if that has passed.</summary>
    private async Task SetRingReminderAsync()
    {
        var due = TimeSpan.FromMilliseconds(Math.Max(State.RingDeadline - Now, 0)) + RingReminderSlack;
        await this.RegisterOrUpdateReminder(RingReminder, due, ReminderPeriod);
    }

    private Task ForgetRingReminderAsync() => ForgetReminderAsync(RingReminder);

    private async Task ForgetReminderAsync(string name)
    {
        try
        {
            if (await this.GetReminder(name) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception ex)
        {
            // A leftover reminder only wakes a call that then tries again to forget it.
            _logger.LogWarning(ex, "Call {CallId}: could not remove the {Reminder} reminder.", CallId, name);
        }
    }

    private void ArmRingTimer(TimeSpan dueTime)
    {
        _ringTimer?.Dispose();
        _ringTimer = this.RegisterGrainTimer(OnRingTimeoutAsync, dueTime, Timeout.InfiniteTimeSpan);
        // Timer ticks are not activity: keep the activation until the timer has fired.
        DelayDeactivation(dueTime + TimeSpan.FromMinutes(1));
    }


    private void Validate(CallRequest request)
    {
        if (request.CallId != CallId)
            throw FieldError("callId", request.CallId, "must match the call addressed");
        if (string.IsNullOrEmpty(CallId) || CallId.Length > CallLimits.MaxCallIdLength)
            throw FieldError("callId", CallId, $"length must be between 1 and {CallLimits.MaxCallIdLength}");
        if (!CallTypes.IsValid(request.Type))
            throw FieldError("type", request.Type, "must be VIDEO or AUDIO");
        if (string.IsNullOrWhiteSpace(request.Callee))
            throw FieldError("callee", request.Callee, "must not be blank");
        if (!UserIds.IsValid(request.Callee))
            throw FieldError("callee", request.Callee, "is not a valid user id");
        RequireName("callerUserName", request.CallerUserName);
        RequireName("calleeUserName", request.CalleeUserName);
    }

    private static void RequireName(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw FieldError(field, value, "must not be blank");
        if (value.Length > CallLimits.MaxUserNameLength)
            throw FieldError(field, value[..40] + "…", $"length must be between 1 and {CallLimits.MaxUserNameLength}");
    }

    /// <summary>Spring's BindException wording, as the Java server behind seed 001 answers validation errors.</summary>
    private static ImException FieldError(string field, string? rejected, string reason) =>
        new(ImErrorCodes.CallBadRequest, $"Field error in object 'message' on field '{field}': rejected value [{rejected ?? "null"}]; default message [{reason}]");

    private void RequireExists()
    {
        ForgetIfUnknown();
        if (State.Phase is null) throw new ImException(ImErrorCodes.CallNotFound, $"No call '{CallId}'.");
    }

    private void RequireParty(string userId)
    {
        if (userId != State.Caller && userId != State.Callee)
            throw new ImException(ImErrorCodes.CallForbidden, "Only the caller and the callee may act in this call.");
    }

    private string Describe() => IsEnded ? $"ended: {State.EndReason}" : State.Phase!.ToLowerInvariant();

    private CallInfo ToInfo() =>
        new(CallId, State.Type, State.Caller, State.Callee, State.Phase!, State.StartedAt, State.EndReason);

    private static CallDeviceRef? Ref(DeviceSession? session) =>
        session is null ? null : new CallDeviceRef { DeviceType = session.DeviceType, ConnectionId = session.ConnectionId };

    /// <summary>Keeps the freshest session of a device (its observer may have been re-created since).</summary>
    private void Remember(DeviceSession? session)
    {
        if (session is not null) _sessions[session.ConnectionId] = session;
    }

    /// <summary>Null = every live device of the user.</summary>
    private List<string>? CallerIds() => State.CallerDevice is { } d ? [d.ConnectionId] : null;

    private List<string>? CalleeIds() => State.CalleeDevice is { } d ? [d.ConnectionId] : null;

    private List<string> RingingIds() => State.RingingDevices.Select(d => d.ConnectionId).ToList();

    private void PushDown(List<string> connectionIds)
    {
        if (connectionIds.Count > 0) Push(State.Callee, connectionIds, SimpleEvent(CallEventKinds.Down));
    }

    private CallEvent SimpleEvent(string kind) => new(kind, CallId, Json(w => w.WriteString("callId", CallId)));

    /// <summary>
    /// Sends an event to some devices of a user without waiting for delivery. Devices this activation has no
    /// session for (after a reactivation, or "every device" for an HTTP party) are looked up on the user grain
    /// outside the turn. Either way, pushes are issued in call order.
    /// </summary>
    private void Push(string userId, List<string>? connectionIds, CallEvent callEvent)
    {
        List<DeviceSession>? known = null;
        if (connectionIds is not null && connectionIds.TrueForAll(_sessions.ContainsKey))
            known = connectionIds.Select(id => _sessions[id]).ToList();
        var user = known is null ? GrainFactory.GetGrain<IUserGrain>(userId) : null;
        _pushTail = SendAsync(_pushTail, known, user, userId, connectionIds, callEvent);
    }

    private async Task SendAsync(Task previous, List<DeviceSession>? known, IUserGrain? user, string userId, List<string>? connectionIds, CallEvent callEvent)
    {
        // Runs interleaved on the activation's scheduler, after the push before it: pushes keep their order.
        await previous;
        var targets = known;
        if (targets is null)
        {
            try
            {
                var sessions = await user!.GetDeviceSessions();
                targets = connectionIds is null ? sessions.ToList() : sessions.Where(s => connectionIds.Contains(s.ConnectionId)).ToList();
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Call {CallId}: could not look up {UserId}'s devices for {Kind}.", CallId, userId, callEvent.Kind);
                return;
            }
        }
        // Awaited one by one: Orleans may reorder observer calls that are not awaited, and signals must stay in order.
        foreach (var session in targets)
        {
            try
            {
                await session.Observer.OnCall(callEvent);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Call {CallId}: {Kind} to {UserId}/{ConnectionId} failed.", CallId, callEvent.Kind, userId, session.ConnectionId);
            }
        }
    }

    /// <summary>Releases a party's busy flag without waiting: its user grain may be waiting on this call.</summary>
    private void Release(string userId)
    {
        if (string.IsNullOrEmpty(userId)) return;
        var user = GrainFactory.GetGrain<IUserGrain>(userId);
        FireAndForget.Run(() => user.ReleaseCall(CallId), _logger, LogLevel.Warning, "Call {CallId}: release of {UserId} failed.", CallId, userId);
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
