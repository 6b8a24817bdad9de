using System.Text.Json.Serialization;

namespace OrleansIm.Grains.Conversations;

/// <summary>
/// The persisted part of a conversation: small metadata only. The message sequence is not here (the message store is
/// its source of truth, reloaded on activation), so state is not written on every send; nor are the members (the member
/// store, <see cref="Storage.IConversationMemberStore"/>, one row each), so a join does not rewrite the member list.
/// </summary>
[GenerateSerializer, Alias("im.ConversationState")]
public sealed class ConversationState
{
    /// <summary>True between a successful Create and Delete.</summary>
    [Id(0)]
    public bool Created { get; set; }

    /// <summary>
    /// Set (and written) first when deleting, so a delete interrupted half-way is finished on the next
    /// activation instead of leaving a half-deleted conversation visible.
    /// </summary>
    [Id(1)]
    public bool Deleted { get; set; }

    [Id(2)]
    public int ConvType { get; set; }

    [Id(3)]
    public string AppId { get; set; } = "";

    [Id(4)]
    public string CreatorId { get; set; } = "";

    /// <summary>
    /// Obsolete, kept for migration only: the member list (join order, creator first) as nodes before the member store
    /// wrote it. Read so that such state opens without loss; the grain's activation moves a non-empty list into the
    /// member store and writes the state back without it. Null in state written since (and then not serialized).
    /// </summary>
    [Id(5), JsonPropertyName("Members"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? LegacyMembers { get; set; }

    /// <summary>Raw JSON text or null.</summary>
    [Id(6)]
    public string? ConvExtend { get; set; }

    /// <summary>Unix ms.</summary>
    [Id(7)]
    public long CTime { get; set; }

    /// <summary>Unix ms of the last metadata change (extend or members); null if never changed.</summary>
    [Id(8)]
    public long? MTime { get; set; }

    /// <summary>
    /// Private conversations: the members who blacklisted the other member (whose sends are refused, 4301). Written by
    /// <see cref="IConversationGrain.SetBlocked"/>, also before Create and kept through Delete (see ConversationGrain.Blocks.cs).
    /// </summary>
    [Id(9)]
    public List<string> BlockedBy { get; set; } = [];
}
