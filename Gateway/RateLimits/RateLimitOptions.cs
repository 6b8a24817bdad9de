namespace OrleansIm.Gateway.RateLimits;

/// <summary>
/// Rate limits of one gateway, bound from <c>Gateway:RateLimits</c> (docs/security.md § Limits has every default and
/// why). All are token buckets of ASP.NET Core's System.Threading.RateLimiting, counted in this process only: with
/// several gateways a user or an address gets each limit once per gateway.
/// <para>
/// The defaults are ceilings against abuse, not a pace for humans: the benchmark pushes about 1000 messages/s over
/// one connection, and an app's backend logs its users in from one address. Apps with only human clients can lower
/// them a lot.
/// </para>
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Gateway:RateLimits";

    /// <summary>
    /// Requests and connections from loopback (127.0.0.0/8, ::1) skip the per-address limits (server API and connection
    /// attempts), not the per-connection, per-user and per-app-key ones. Behind a TLS proxy on the same host every client
    /// has the proxy's address, and one bucket for all of them would let one client lock everybody out; tests,
    /// benchmarks and local clusters also connect from loopback.
    /// </summary>
    public bool ExemptLoopback { get; set; } = true;

    /// <summary>
    /// The app-key server API (seed 000's /openapi/v1/user/*, seed 003's /im/*) per client address: bounds online
    /// guessing of the app key and login writes from one address. An app's backend calls from one address, hence generous.
    /// </summary>
    public TokenBucketLimit ServerApiPerAddress { get; set; } = new(1000, 500);

    /// <summary>
    /// The same API per app key: requests with the right key share one bucket, requests with any wrong (or no) key
    /// share another, so guessing from many addresses is bounded too and never eats the app's own budget.
    /// </summary>
    public TokenBucketLimit ServerApiPerAppKey { get; set; } = new(4000, 2000);

    /// <summary>
    /// Wrong or missing admin keys (X-Admin-Key, or the password of the dashboard's Basic login) per client address: while
    /// an address has no token left, every admin request from it is refused (429) before its key is even compared, so a
    /// guess cannot be told right from wrong. The right key uses no token. Loopback follows <see cref="ExemptLoopback"/>.
    /// </summary>
    public TokenBucketLimit AdminKeyFailuresPerAddress { get; set; } = new(10, 1);

    /// <summary>WebSocket upgrades of /ws and /imserver/ws per client address: each costs a token check and grain calls.</summary>
    public TokenBucketLimit ConnectionsPerAddress { get; set; } = new(200, 20);

    /// <summary>
    /// Frames per connection, /ws JSON frames and STOMP frames alike (STOMP heart-beats and DISCONNECT are not counted).
    /// A refused frame is answered (4290 / 429) and not handled.
    /// </summary>
    public TokenBucketLimit FramesPerConnection { get; set; } = new(4000, 2000);

    /// <summary>
    /// Refused frames a connection may send within <see cref="FrameRejectionWindow"/> before it is closed (4429): only a
    /// client that ignores the retry-after and keeps going far past the limit is disconnected.
    /// </summary>
    public int FrameRejectionsBeforeClose { get; set; } = 1000;

    /// <summary>The window <see cref="FrameRejectionsBeforeClose"/> counts in.</summary>
    public TimeSpan FrameRejectionWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>msg.send frames per user id, over all of the user's connections on this gateway.</summary>
    public TokenBucketLimit SendsPerUser { get; set; } = new(4000, 2000);

    /// <summary>
    /// msg.send weighted by size, per user id on this gateway: each send takes as many permits as its text, attr, url and
    /// mentions have characters (at least 1), so large, transient (never stored, pushed at once) and group messages,
    /// whose fan-out grows with their size, run out first. The gateway does not know a conversation's member count
    /// before the grain call, so recipients are not counted; ImGrains:MaxGroupMembers bounds them.
    /// </summary>
    public TokenBucketLimit SendCharactersPerUser { get; set; } = new(4 * 1024 * 1024, 2 * 1024 * 1024);

    /// <summary>
    /// File uploads (<c>POST /im/file/upload</c>) per client address, with the app key or a token alike: each can be up
    /// to Gateway:Files:MaxFileBytes of disk or database. Loopback is exempt like the other per-address limits.
    /// </summary>
    public TokenBucketLimit UploadsPerAddress { get; set; } = new(100, 10);

    /// <summary>File uploads per user id (token uploads), over all the user's addresses, on this gateway.</summary>
    public TokenBucketLimit UploadsPerUser { get; set; } = new(30, 2);
}
