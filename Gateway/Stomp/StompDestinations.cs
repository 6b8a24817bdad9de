using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Stomp;

/// <summary>Seed 001's destinations: SEND targets under /app, user queues under /user/queue, the presence topic.</summary>
public static class StompDestinations
{
    public const string AppUserStatus = "/app/user/status";
    public const string AppCallRequest = "/app/call/request";
    public const string AppCallResponse = "/app/call/response";
    public const string AppCallHangup = "/app/call/hangup";
    public const string AppRtcSignaling = "/app/rtc/signaling";
    public const string AppTurnCredentials = "/app/turn/get-turn-credentials";

    /// <summary>Presence changes, and presence answers when the session has no /user/queue/user/status subscription.</summary>
    public const string TopicUserStatus = "/topic/user/status";
    /// <summary>Presence answers to this session (preferred over the topic when subscribed).</summary>
    public const string UserStatus = "/user/queue/user/status";
    public const string Errors = "/user/queue/errors";
    public const string MessageNew = "/user/queue/msg/new";
    public const string TurnCredentials = "/user/queue/turn/get-turn-credentials";
    public const string RtcSignaling = "/user/queue/rtc/signaling";

    /// <summary>CallEventKinds → /user/queue/call/{kind}, signaling → /user/queue/rtc/signaling.</summary>
    public static string ForCallEvent(string kind) =>
        kind == CallEventKinds.Signaling ? RtcSignaling : "/user/queue/call/" + kind;

    /// <summary>A named client event (seed 002's names, e.g. updateSession) → /user/queue/event/{name}.</summary>
    public static string ForClientEvent(string name) => "/user/queue/event/" + name;
}
