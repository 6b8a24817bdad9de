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
}
