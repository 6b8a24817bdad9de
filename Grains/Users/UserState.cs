using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Users;

/// <summary>
/// The persisted part of a user: profile, status and conversation list (JSON in storage; the generated
/// serializer moves it with the activation when a silo shuts down). Live devices, watchers and
/// delivered cursors are deliberately not here — they are only meaningful while the activation lives.
/// </summary>
[GenerateSerializer, Alias("im.UserState")]
public sealed class UserState
{
    /// <summary>True once the user logged in at least once; joining a conversation alone does not register a user.</summary>
    [Id(0)]
    public bool Registered { get; set; }

    [Id(1)]
    public string Nickname { get; set; } = "";

    [Id(2)]
    public string? Avatar { get; set; }

    /// <summary>Raw JSON object of custom profile fields.</summary>
    [Id(3)]
    public string? ExtrasJson { get; set; }

    [Id(4)]
    public int UserStatus { get; set; } = UserStatuses.Normal;

    /// <summary>Unix ms of the last login.</summary>
    [Id(5)]
    public long LastLoginTime { get; set; }

    /// <summary>
    /// The call this user is in (ringing counts), or null. Persisted so "busy" survives a failover; a stale
    /// value is checked against the call itself before it refuses a new call, so it never sticks.
    /// </summary>
    [Id(6)]
    public string? CurrentCallId { get; set; }

    /// <summary>Conversations in join order.</summary>
    [Id(7)]
    public List<UserConversationState> Conversations { get; set; } = [];

    /// <summary>
    /// Static tokens carry the generation they were issued in; only the current one connects. A refresh or revoke-all
    /// through the server API moves it on. 0 for users from before generations, matching tokens without the claim.
    /// </summary>
    [Id(12)] // not 8: leaves room for the session-model fields other branches add
    public long TokenGeneration { get; set; }
}
