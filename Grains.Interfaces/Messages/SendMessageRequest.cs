using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A send. ClientMsgId, when given, makes the send idempotent per (conversation, sender): a resend with the
/// same id returns the first send's result instead of storing a duplicate.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.SendMessageRequest")]
public sealed record SendMessageRequest(
    string FromClient,
    int Type,
    string? Text,
    string? Attr,
    string? Url,
    bool Transient,
    int NoSync,
    bool MentionAll,
    string? MentionClientIds,
    string? ClientMsgId);
