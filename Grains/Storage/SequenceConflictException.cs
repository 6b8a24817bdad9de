namespace OrleansIm.Grains.Storage;

/// <summary>(conv_id, seq) is already taken: another activation wrote it. The grain reloads its sequence and retries.</summary>
public sealed class SequenceConflictException(string convId, long seq)
    : Exception($"Sequence {seq} of conversation {convId} is already taken.")
{
    public string ConvId { get; } = convId;
    public long Seq { get; } = seq;
}
