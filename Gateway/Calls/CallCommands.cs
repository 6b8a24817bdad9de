using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Calls;

/// <summary>
/// Seed 001 call commands, shared by every front door (HTTP twins, the JSON /ws dialect, the STOMP dialect):
/// parses the seed's payloads (wrong JSON types → 400) and calls <see cref="ICallGrain"/>. The user id is the
/// authenticated one; <c>device</c> is the socket's session, or null over HTTP.
/// </summary>
public sealed class CallCommands(IGrainFactory grains)
{
    /// <summary>Call-Request: {callId, type?, callee, callerUserName, calleeUserName}.</summary>
    public Task<CallInfo> RequestAsync(string userId, DeviceSession? device, JsonElement body)
    {
        CallFields.RequireObject(body);
        var callId = CallFields.RequiredCallId(body);
        var type = CallFields.OptionalString(body, "type") ?? CallTypes.Video;
        if (!CallTypes.IsValid(type)) throw CallFields.FieldError("type", type, "must be VIDEO or AUDIO");
        // Missing names travel as null so the grain (the one place that validates them) reports the field.
        var request = new CallRequest(
            callId,
            type,
            CallFields.OptionalUserId(body, "callee")!,
            CallFields.OptionalString(body, "callerUserName")!,
            CallFields.OptionalString(body, "calleeUserName")!);
        return Call(callId).Request(userId, device, request);
    }

    /// <summary>Call-Response: {callId, type: ACCEPT|REJECT}.</summary>
    public Task<CallInfo> RespondAsync(string userId, DeviceSession? device, JsonElement body)
    {
        CallFields.RequireObject(body);
        var callId = CallFields.RequiredCallId(body);
        var type = CallFields.OptionalString(body, "type");
        if (string.IsNullOrEmpty(type)) throw CallFields.FieldError("type", type, "must not be null");
        if (!CallResponseTypes.IsValid(type)) throw CallFields.FieldError("type", type, "must be ACCEPT or REJECT");
        return Call(callId).Respond(userId, device, type);
    }

    /// <summary>
    /// Call-Hangup: {callId} or, as seed 001's HTTP twin sends, an empty body — then the user's current call
    /// (ringing counts); none → 404.
    /// </summary>
    public async Task<CallInfo> HangupAsync(string userId, DeviceSession? device, JsonElement? body)
    {
        string? callId = null;
        if (body is { } element && element.ValueKind != JsonValueKind.Undefined && element.ValueKind != JsonValueKind.Null)
        {
            CallFields.RequireObject(element);
            if (CallFields.OptionalString(element, "callId") is { Length: > 0 }) callId = CallFields.RequiredCallId(element);
        }
        callId ??= await grains.GetGrain<IUserGrain>(userId).GetCurrentCallId()
            ?? throw new ImException(ImErrorCodes.CallNotFound, "You are not in a call.");
        return await Call(callId).Hangup(userId, device);
    }

    /// <summary>RTC signaling: {callId, type: OFFER|ANSWER|ICE_CANDIDATE, payload: any JSON}.</summary>
    public Task SignalAsync(string userId, DeviceSession? device, JsonElement body)
    {
        CallFields.RequireObject(body);
        var callId = CallFields.RequiredCallId(body);
        var type = CallFields.OptionalString(body, "type");
        if (string.IsNullOrEmpty(type)) throw CallFields.FieldError("type", type, "must not be null");
        if (!SignalTypes.IsValid(type)) throw CallFields.FieldError("type", type, "must be OFFER, ANSWER or ICE_CANDIDATE");
        if (!body.TryGetProperty("payload", out var payload) || payload.ValueKind == JsonValueKind.Null)
            throw CallFields.FieldError("payload", null, "must not be null");
        var raw = payload.GetRawText();
        if (raw.Length > CallLimits.MaxSignalPayloadLength)
            throw CallFields.FieldError("payload", raw, $"must be at most {CallLimits.MaxSignalPayloadLength} characters");
        return Call(callId).Signal(userId, device, type, raw);
    }

    private ICallGrain Call(string callId) => grains.GetGrain<ICallGrain>(callId);
}
