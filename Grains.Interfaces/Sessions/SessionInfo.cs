using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// One entry of a user's recent-conversation list (seed 002's session): the conversation's newest message, the user's
/// read cursor, how many messages of others came after it (at most <see cref="SessionLimits.UnreadCap"/>), and the
/// update time (the newest message's time, or when the user joined a conversation without messages).
/// </summary>
[GenerateSerializer, Immutable, Alias("im.SessionInfo")]
public sealed record SessionInfo(string ConvId, long LastReadSeq, long LastSeq, int Unread, long UpdateTime, ChatMessage? LastMessage);
