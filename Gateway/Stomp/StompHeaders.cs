namespace OrleansIm.Gateway.Stomp;

/// <summary>Header names used by the STOMP dialect (standard ones and the seed's <c>ide</c> token header).</summary>
public static class StompHeaders
{
    public const string AcceptVersion = "accept-version";
    public const string Version = "version";
    public const string HeartBeat = "heart-beat";
    public const string Host = "host";
    public const string Server = "server";
    public const string UserName = "user-name";
    public const string Session = "session";
    public const string Destination = "destination";
    public const string Id = "id";
    public const string Subscription = "subscription";
    public const string MessageId = "message-id";
    public const string Receipt = "receipt";
    public const string ReceiptId = "receipt-id";
    public const string ContentType = "content-type";
    public const string ContentLength = "content-length";
    public const string Message = "message";

    /// <summary>Seed 001: the login token travels in the CONNECT header <c>ide</c>.</summary>
    public const string Token = "ide";
    public const string DeviceType = "deviceType";
    /// <summary>Seed 002: 0 static token (default), 1 dynamic token, 2 third-party callback.</summary>
    public const string AuthType = "authType";
    /// <summary>Seed 002: the user id, required with authType 1 and 2 (the query's userId is used when absent).</summary>
    public const string Account = "account";
    /// <summary>The business code of a refused CONNECT (e.g. 302: the app server refused a callback login).</summary>
    public const string Code = "code";
    /// <summary>Why a session was kicked (ERROR "logout.kick").</summary>
    public const string Reason = "reason";
    /// <summary>On the drain ERROR frame: how long the client should wait before reconnecting (ms).</summary>
    public const string ReconnectAfterMs = "reconnect-after-ms";
}
