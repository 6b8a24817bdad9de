namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// What a call pushes to a device. Each maps to a seed 001 user queue (STOMP) and a JSON /ws push frame:
/// request → /user/queue/call/request, response → /user/queue/call/response, down → /user/queue/call/down,
/// hangup → /user/queue/call/hangup, timeout → /user/queue/call/timeout, signaling → /user/queue/rtc/signaling.
/// </summary>
public static class CallEventKinds
{
    public const string Request = "request";
    public const string Response = "response";
    public const string Down = "down";
    public const string Hangup = "hangup";
    public const string Timeout = "timeout";
    public const string Signaling = "signaling";
}
