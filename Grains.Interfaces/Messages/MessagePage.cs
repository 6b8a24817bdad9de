using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>One page of history, newest first (seed 003 paging: page is 1-based).</summary>
[GenerateSerializer, Immutable, Alias("im.MessagePage")]
public sealed record MessagePage(IReadOnlyList<ChatMessage> Items, long Total, int Page, int Size);
