namespace OrleansIm.Gateway;

/// <summary>Gateway settings, bound from the <c>Gateway</c> configuration section. Limits are documented in docs/protocol.md.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Address the standalone node listens on (0.0.0.0 = every interface; tests use 127.0.0.1).</summary>
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>Seed 000's port (ws://host:9688/ws).</summary>
    public int Port { get; set; } = 9688;

    /// <summary>Seed 003's app-id header value.</summary>
    public string AppId { get; set; } = "666666";

    /// <summary>X-App-Key / app-key. Null = not configured (standalone falls back to the seed's example, loudly).</summary>
    public string? AppKey { get; set; }

    /// <summary>
    /// X-Admin-Key of the admin API and the dashboard's password; at least 16 characters and not the app key. Null = not
    /// configured: the admin API is disabled (404 / 4040). Never defaulted. See Admin/AdminCredentials.cs.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>HS256 secret. Null = not configured (standalone generates and persists one in the data directory).</summary>
    public string? JwtSecret { get; set; }

    /// <summary>
    /// Seed 002's App Secret, shared with the app server only: derives dynamic tokens (authType 1) and signs callback
    /// logins (authType 2). Null = not configured: both are refused. At least 16 characters; never logged.
    /// </summary>
    public string? AppSecret { get; set; }

    /// <summary>Seed 000: tokens are valid for 30 days.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// /ws and STOMP upgrades over HTTP/1.1 are read off the connection by the gateway's own handshake, so an open
    /// socket keeps none of Kestrel's HTTP/1 objects (~6 KB each, see docs/performance.md § Idle sockets). False =
    /// through Kestrel's HTTP/1 stack and ASP.NET Core's WebSocket middleware. Both run the same gates and limits.
    /// </summary>
    public bool DirectUpgrades { get; set; } = true;

    /// <summary>Largest accepted socket message; bigger ones are discarded and answered with 4013.</summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>A socket that sends no frame for this long is closed (clients send ping).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How often a connection re-registers with its user grain and refreshes presence subscriptions.</summary>
    public TimeSpan ObserverRefreshInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Graceful drain on shutdown (SIGTERM): how long the gateway keeps serving its connected clients after it has
    /// told them to reconnect elsewhere, before it closes the rest. Must fit in the host's shutdown timeout and in
    /// Kubernetes' terminationGracePeriodSeconds (k8s/ checks this).
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Frames queued for one socket; a client that lets it fill up is disconnected (close 1008).</summary>
    public int OutgoingQueueCapacity { get; set; } = 1024;

    /// <summary>
    /// Message pushes reach a connection one-way and are put back in order by number; a missing push not arrived
    /// within this time is taken as lost and the connection is closed (4410) so the client resyncs.
    /// </summary>
    public TimeSpan PushGapTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Bytes queued for one socket (frames waiting plus the one being sent); a client that lets it fill up is
    /// disconnected (close 1008). Holds several full replies (<see cref="MaxReplyBytes"/>) besides pushes.
    /// </summary>
    public long OutgoingQueueBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Longest one frame's send may make no progress (the client's TCP window stays shut) before the socket is aborted.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Message bytes in one msg.sync or msg.history reply. Messages past it are left out, has_more says to page on
    /// and truncated says why; the first message of a reply is always included, so paging always progresses.
    /// </summary>
    public int MaxReplyBytes { get; set; } = 1024 * 1024;

    /// <summary>Users one connection may watch at the same time.</summary>
    public int MaxPresenceSubscriptions { get; set; } = 1000;

    /// <summary>Largest accepted HTTP request body.</summary>
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Conversations per msg.sync frame.</summary>
    public int MaxSyncConversations { get; set; } = 200;

    /// <summary>
    /// Messages in one msg.sync reply, over all its conversations: each conversation gets an equal share of this
    /// (at least 1, at most the frame's limit) and has_more says when to sync again. Bounds one reply's memory.
    /// </summary>
    public int MaxSyncMessages { get; set; } = 1000;

    /// <summary>STOMP heart-beat the server offers both ways in CONNECTED ("10000,10000"); 0 disables them.</summary>
    public TimeSpan StompHeartBeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A STOMP socket must send CONNECT within this time of opening, or it is closed with an ERROR frame: the socket
    /// is accepted before authentication, so an unauthenticated one must not hold resources for long.
    /// </summary>
    public TimeSpan StompConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest STOMP frame; fits a 64 KiB SDP plus its JSON. Bigger frames are a protocol error (ERROR + close).</summary>
    public int StompMaxFrameBytes { get; set; } = 128 * 1024;

    /// <summary>How long to wait for the client's close frame after ours before aborting.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
