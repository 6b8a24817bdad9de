namespace OrleansIm.Grains.Conversations;

/// <summary>
/// The persisted copy of members' read positions in a conversation (state name <c>receipts</c>, apart from the
/// conversation's own state so metadata writes and receipt flushes never rewrite each other). Written lazily: at most
/// once per <see cref="ImGrainOptions.ReadReceiptFlushPeriod"/> and on deactivation, never per read or message.
/// </summary>
[GenerateSerializer, Alias("im.ReadReceiptState")]
public sealed class ReadReceiptState
{
    /// <summary>Member → highest seq read; members absent have read nothing.</summary>
    [Id(0)]
    public Dictionary<string, long> ReadSeqs { get; set; } = new(StringComparer.Ordinal);
}
