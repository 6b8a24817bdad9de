using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A page of the members who have (or have not) read a message, by user id; <see cref="NextCursor"/> (the last id) is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("im.ReaderPage")]
public sealed record ReaderPage(long Seq, IReadOnlyList<string> UserIds, string? NextCursor);
