namespace OrleansIm.Grains.Interfaces;

/// <summary>Size limits enforced on every message path (REST and socket); documented in docs/protocol.md.</summary>
public static class MessageLimits
{
    public const int MaxTextLength = 5000;
    public const int MaxAttrLength = 8192;
    public const int MaxUrlLength = 2048;
    public const int MaxClientMsgIdLength = 64;
    public const int MaxMentions = 200;
    public const int MaxPageSize = 100;
    public const int MaxPresenceIds = 200;

    /// <summary>Most messages in one IConversationGrain.SendBatch (a gateway batches at most the frames one connection has in flight).</summary>
    public const int MaxSendBatch = 32;

    /// <summary>Most messages one delete-for-self request names (seqs and msg_ids together).</summary>
    public const int MaxDeleteSelfIds = 100;

    /// <summary>
    /// Most messages one user keeps deleted-for-self in one conversation (above the point they cleared the history to);
    /// past it a delete is refused with 4013 and the user clears the history instead, which drops the rows it covers.
    /// </summary>
    public const int MaxDeletedForSelfPerConversation = 1000;
}
