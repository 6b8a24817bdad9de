using Orleans;
using Orleans.Concurrency;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// One audio/video call (key = callId, 1–100 chars, chosen by the caller). Seed 001 flow: Request rings
/// every online device of the callee; Respond (ACCEPT/REJECT) from one callee device answers the caller's
/// device and sends "down" to the callee's other devices; Hangup from either party tells the other side;
/// no answer within the ring timeout sends "timeout" to the caller and every ringing device. Signals are
/// relayed, in order, between the caller's device and the accepting device. Only the two parties may act
/// (ImException 403); validation failures are 400, an unknown call 404, a party already in a call 1001.
/// State is persisted and the ring timer re-armed on reactivation, so a silo failover neither loses the
/// call nor leaves anyone busy.
/// </summary>
[Alias("im.ICallGrain")]
public interface ICallGrain : IGrainWithStringKey
{
    /// <param name="caller">The authenticated user placing the call.</param>
    /// <param name="callerDevice">
    /// The device placing it: it receives the response, the other side's signals and hangup. Null when the
    /// request came over HTTP (no socket): then every live device of the caller receives them.
    /// </param>
    Task<CallInfo> Request(string caller, DeviceSession? callerDevice, CallRequest request);

    /// <param name="device">The answering device (null over HTTP: the callee's devices are not told "down").</param>
    /// <param name="responseType"><see cref="CallResponseTypes"/>.</param>
    Task<CallInfo> Respond(string userId, DeviceSession? device, string responseType);

    Task<CallInfo> Hangup(string userId, DeviceSession? device);

    /// <param name="signalType"><see cref="SignalTypes"/>.</param>
    /// <param name="payloadJson">The seed's payload as raw JSON (a string SDP or a candidate object).</param>
    Task Signal(string userId, DeviceSession? device, string signalType, string payloadJson);

    /// <summary>Null if no call with this id was ever requested.</summary>
    Task<CallInfo?> GetInfo();

    /// <summary>
    /// A party's user grain asks whether its reservation is still held by a live call (a busy flag must never stick).
    /// Always interleaves: the asking user grain may itself be awaited by this call's Request (call → user → call).
    /// </summary>
    [AlwaysInterleave]
    Task<bool> IsLive();

    /// <summary>A party's last device went away: the call ends and the other side gets a hangup.</summary>
    [OneWay]
    Task PartyOffline(string userId);
}
