namespace OrleansIm.Grains.Conversations;

/// <summary>
/// The persisted part of a conversation. The message sequence is not here: the message store is its
/// source of truth (the grain reloads it on activation), so state is not written on every send.
/// </summary>
public sealed class ConversationState
{
    /// <summary>True between a successful Create and Delete.</summary>
    public bool Created { get; set; }

    /// <summary>
    /// Set (and written) first when deleting, so a delete interrupted half-way is finished on the next
    /// activation instead of leaving a half-deleted conversation visible.
    /// </summary>
    public bool Deleted { get; set; }

    public int ConvType { get; set; }

    public string AppId { get; set; } = "";

    public string CreatorId { get; set; } = "";

    /// <summary>Members in join order, unique; the creator is first.</summary>
    public List<string> Members { get; set; } = [];

    /// <summary>Raw JSON text or null.</summary>
    public string? ConvExtend { get; set; }

    /// <summary>Unix ms.</summary>
    public long CTime { get; set; }

    /// <summary>Unix ms of the last metadata change (extend or members); null if never changed.</summary>
    public long? MTime { get; set; }
}
