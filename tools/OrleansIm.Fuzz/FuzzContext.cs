namespace OrleansIm.Fuzz;

/// <summary>
/// The users, tokens and conversations a run set up; generators take ids from here so mutated inputs start from
/// frames and requests that would be valid. User ids depend on the seed only, so a replay builds the same inputs.
/// </summary>
public sealed class FuzzContext
{
    public required string AppId { get; init; }

    public required string AppKey { get; init; }

    /// <summary>Users that sockets act as (one per lane and dialect) and that frames name.</summary>
    public required IReadOnlyList<string> UserIds { get; init; }

    /// <summary>Users the HTTP inputs log in, ban and unban; no socket of the run acts as them.</summary>
    public required IReadOnlyList<string> VictimUserIds { get; init; }

    /// <summary>A group conversation of every socket user.</summary>
    public required string ConversationId { get; init; }

    /// <summary>A conversation the HTTP inputs may update and delete.</summary>
    public required string VictimConversationId { get; init; }

    /// <summary>A victim's token: seed 001 call twins (header <c>ide</c>), handshakes and STOMP CONNECTs under test.</summary>
    public required string VictimToken { get; init; }
}
