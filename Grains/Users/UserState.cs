using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Users;

/// <summary>
/// The persisted part of a user: profile, status and conversation list. Live devices, watchers and
/// delivered cursors are deliberately not here — they are only meaningful while the activation lives.
/// </summary>
public sealed class UserState
{
    /// <summary>True once the user logged in at least once; joining a conversation alone does not register a user.</summary>
    public bool Registered { get; set; }

    public string Nickname { get; set; } = "";

    public string? Avatar { get; set; }

    /// <summary>Raw JSON object of custom profile fields.</summary>
    public string? ExtrasJson { get; set; }

    public int UserStatus { get; set; } = UserStatuses.Normal;

    /// <summary>Unix ms of the last login.</summary>
    public long LastLoginTime { get; set; }

    /// <summary>
    /// The call this user is in (ringing counts), or null. Persisted so "busy" survives a failover; a stale
    /// value is checked against the call itself before it refuses a new call, so it never sticks.
    /// </summary>
    public string? CurrentCallId { get; set; }

    /// <summary>Conversations in join order.</summary>
    public List<UserConversationState> Conversations { get; set; } = [];
}
