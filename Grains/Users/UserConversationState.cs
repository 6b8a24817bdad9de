namespace OrleansIm.Grains.Users;

/// <summary>One entry of a user's persisted conversation list.</summary>
[GenerateSerializer, Alias("im.UserConversationState")]
public sealed class UserConversationState
{
    [Id(0)]
    public string ConvId { get; set; } = "";

    /// <summary>Highest seq the user marked read; only ever moves forward.</summary>
    [Id(1)]
    public long LastReadSeq { get; set; }

    /// <summary>Unix ms when the user joined; the session's update time while the conversation has no message (0 for entries from before it was kept).</summary>
    [Id(2)]
    public long JoinedAt { get; set; }
}
