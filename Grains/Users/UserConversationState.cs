namespace OrleansIm.Grains.Users;

/// <summary>One entry of a user's persisted conversation list.</summary>
public sealed class UserConversationState
{
    public string ConvId { get; set; } = "";

    /// <summary>Highest seq the user marked read; only ever moves forward.</summary>
    public long LastReadSeq { get; set; }
}
