using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Chatrooms;

/// <summary>Limits and periods of chatrooms (conv_type 4) on the silo side, bound from the <c>Chatrooms</c> section.</summary>
public sealed class ChatroomOptions
{
    public const string SectionName = "Chatrooms";

    /// <summary>Most connections one room holds at once; an enter past it gets 4602.</summary>
    public int MaxConnectionsPerRoom { get; set; } = 10_000;

    /// <summary>Newest stored messages an enter returns (0 = none; at most <see cref="ChatroomLimits.MaxRecentMessages"/>).</summary>
    public int RecentMessages { get; set; } = 20;

    /// <summary>Messages a room accepts per second, all senders together (a token bucket); a send past it gets 4290.</summary>
    public double MessagesPerSecond { get; set; } = 50;

    /// <summary>Messages a room accepts at once after being quiet (the bucket's size).</summary>
    public int MessageBurst { get; set; } = 100;

    /// <summary>Changes of who is in a room are pushed coalesced: at most one <c>chatroom.members</c> event per period.</summary>
    public TimeSpan PresencePushPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A gateway's seats not renewed within this time are dropped (a gateway that died without saying so). Gateways renew
    /// every Gateway:ObserverRefreshInterval (60 s), so this must be well above it.
    /// </summary>
    public TimeSpan RelayExpiry { get; set; } = TimeSpan.FromMinutes(3);
}
