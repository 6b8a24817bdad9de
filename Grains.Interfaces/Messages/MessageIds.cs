using System.Globalization;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// Message ids: 32 lowercase hex digits, as always. A stored message's id begins with its seq in 12 hex digits and
/// ends in 20 random ones, so a message is found by its id through the conversation's (conv_id, seq) key: the stores
/// keep no index on msg_id, which was a third of the pages every append wrote. Messages stored before ids carried their
/// seq (fully random ids) are found through the stores' legacy id table; a transient message, never stored, keeps a
/// random id. Clients treat ids as opaque strings; the docs say so.
/// </summary>
public static class MessageIds
{
    public const int Length = 32;

    /// <summary>Seqs up to 16^12 − 1 fit the 12-digit prefix (a conversation would need 9,000 years at 1,000 msgs/s to pass it).</summary>
    public const long MaxSeq = 0xFFFF_FFFF_FFFF;

    private const int SeqDigits = 12;

    /// <summary>A random id: a draft's until its seq is known, a transient message's for good.</summary>
    public static string NewRandom() => Guid.NewGuid().ToString("N");

    /// <summary>The id of the message at <paramref name="seq"/>: the seq, then the last 20 digits of <paramref name="draftId"/>.</summary>
    public static string ForSeq(long seq, string draftId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seq, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seq, MaxSeq);
        ArgumentNullException.ThrowIfNull(draftId);
        if (draftId.Length != Length) throw new ArgumentException($"A draft id has {Length} characters.", nameof(draftId));
        return string.Create(Length, (seq, draftId), static (span, state) =>
        {
            state.seq.TryFormat(span[..SeqDigits], out _, "x12", CultureInfo.InvariantCulture);
            state.draftId.AsSpan(SeqDigits).CopyTo(span[SeqDigits..]);
        });
    }

    /// <summary>
    /// The seq an id names if it was made by <see cref="ForSeq"/>; an older random id also "names" some seq, so a
    /// caller compares the stored message's id before trusting it.
    /// </summary>
    public static bool TryGetSeq(string? msgId, out long seq)
    {
        seq = 0;
        return msgId is { Length: Length }
               && long.TryParse(msgId.AsSpan(0, SeqDigits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out seq)
               && seq >= 1;
    }
}
