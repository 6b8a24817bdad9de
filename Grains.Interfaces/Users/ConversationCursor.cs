using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A conversation in a user's list: the last seq the user read and the last seq the user has seen delivered.</summary>
[GenerateSerializer, Immutable, Alias("im.ConversationCursor")]
public sealed record ConversationCursor(string ConvId, long LastReadSeq, long LastSeq);
