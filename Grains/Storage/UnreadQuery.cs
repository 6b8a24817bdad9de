namespace OrleansIm.Grains.Storage;

/// <summary>One conversation of <see cref="IMessageStore.CountUnreadAsync"/>: count its messages after <paramref name="AfterSeq"/> (the read cursor).</summary>
public readonly record struct UnreadQuery(string ConvId, long AfterSeq);
