namespace OrleansIm.Grains.Interfaces;

/// <summary>Bounds of receipt queries (docs/protocol.md § Limits).</summary>
public static class ReceiptLimits
{
    /// <summary>Most message seqs per receipt-count query (msg.receipts).</summary>
    public const int MaxSeqsPerQuery = 20;

    /// <summary>Most user ids per page of "who read" (msg.readers).</summary>
    public const int MaxReadersPage = 100;

    /// <summary>Most messages one coalesced teamMsgReceipts push covers: the newest of those whose counts changed.</summary>
    public const int MaxSeqsPerPush = 32;
}
