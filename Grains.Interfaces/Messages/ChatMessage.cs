using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A message as stored and delivered. Seq is the per-conversation sequence (1, 2, …; 0 for transient
/// messages, which are never stored). Attr and MentionClientIds are raw JSON text (seed 003 carries them as JSON).
/// A recalled message keeps its place (seq, msg_id, sender, type, times) but has no content and <see cref="Recalled"/> set.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.ChatMessage")]
public sealed record ChatMessage(
    string ConvId,
    long Seq,
    string MsgId,
    string FromClient,
    int Type,
    string? Text,
    string? Attr,
    string? Url,
    long CTime,
    bool Transient,
    int NoSync,
    bool MentionAll,
    string? MentionClientIds,
    string? ClientMsgId,
    bool Recalled = false)
{
    /// <summary>
    /// This message at <paramref name="seq"/>, with the id that names that seq (<see cref="MessageIds.ForSeq"/>); a
    /// message already at <paramref name="seq"/> is returned as it is.
    /// </summary>
    public ChatMessage WithSeq(long seq) => seq == Seq ? this : this with { Seq = seq, MsgId = MessageIds.ForSeq(seq, MsgId) };
}
