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
}
