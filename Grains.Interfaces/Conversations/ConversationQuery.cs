using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>Conversations matching all filters, ordered by ctime then conv_id; page is 1-based.</summary>
[GenerateSerializer, Immutable, Alias("im.ConversationQuery")]
public sealed record ConversationQuery(IReadOnlyList<ConversationFilter> Filters, int Page, int Size);
