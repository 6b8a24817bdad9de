namespace OrleansIm.Grains;

/// <summary>Tunables of the IM grains, bound with <c>IOptions&lt;ImGrainOptions&gt;</c>.</summary>
public sealed class ImGrainOptions
{
    /// <summary>Configuration section name used by hosts that bind these options from configuration.</summary>
    public const string SectionName = "ImGrains";

    /// <summary>A device registration not refreshed (Connect with the same connection id) within this time is dropped.</summary>
    public TimeSpan DeviceExpiry { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Which live connections a user may hold at once (seed 002's 多端登录与互踢 policies); a new connection kicks the
    /// ones the policy says it displaces. Default: one per device type (seed 000).
    /// </summary>
    public DevicePolicy DevicePolicy { get; set; } = DevicePolicy.OnePerDeviceType;

    /// <summary>
    /// Most live connections of one user under <see cref="DevicePolicy.Unlimited"/> (bounds a user grain's memory);
    /// a connection past it kicks the oldest.
    /// </summary>
    public int MaxConnectionsPerUser { get; set; } = 16;

    /// <summary>A presence watcher not refreshed (WatchPresence again) within this time is dropped.</summary>
    public TimeSpan PresenceWatchExpiry { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Most members a conversation may have (ImException 4013 beyond it).</summary>
    public int MaxGroupMembers { get; set; } = 1000;

    /// <summary>How often a user grain with devices or watchers sweeps expired ones.</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Message pushes are one-way; while they flow, a user grain asks a device's gateway at most this often (and on a
    /// connection's first push) whether it still has the connection, and drops the device if not.
    /// </summary>
    public TimeSpan DeviceProbePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A call not answered within this time times out (seed 001: 30 s).</summary>
    public TimeSpan CallRingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An ended call's persisted state is cleared this long after it ended; until then late requests get a clear 409,
    /// after it they are answered like an unknown call (404, and a new request may reuse the id).
    /// </summary>
    public TimeSpan EndedCallRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long after sending a sender may recall a message (seed 002's recall). Zero turns senders' recall off; the
    /// server API (app-key) may recall any message at any time.
    /// </summary>
    public TimeSpan RecallWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A conversation writes its members' read positions (for receipts) at most this often while they change, and on
    /// deactivation; a silo crash loses at most this much of them (members' own read cursors are written at once).
    /// </summary>
    public TimeSpan ReadReceiptFlushPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Group read receipts are pushed to senders coalesced: reads within this period become at most one teamMsgReceipts
    /// per sender and conversation, covering at most <see cref="ReceiptLimits.MaxSeqsPerPush"/> messages.
    /// </summary>
    public TimeSpan GroupReceiptPushPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// System notifications kept per user (the newest; older ones are dropped, read or not). The whole inbox is one
    /// grain state, rewritten on each post, so keep it in the hundreds.
    /// </summary>
    public int MaxSystemNotifications { get; set; } = 500;
}
