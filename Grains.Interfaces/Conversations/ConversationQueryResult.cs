using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>One page of a conversation query plus the total number of matches.</summary>
[GenerateSerializer, Immutable, Alias("im.ConversationQueryResult")]
public sealed record ConversationQueryResult(IReadOnlyList<ConversationInfo> Items, long Total);
