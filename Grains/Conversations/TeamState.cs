namespace OrleansIm.Grains.Conversations;

/// <summary>
/// A team's own persisted state (state name <c>team</c>, apart from the conversation's so that team info changes do not
/// rewrite the member list and the reverse). A group created through seed 003's REST API has none until its first team
/// change: it is then a team with default info whose creator is the owner. Members' records are kept only for members
/// who differ from the default (a nickname or a mute), so a plain join does not grow this state.
/// </summary>
[GenerateSerializer, Alias("im.TeamState")]
public sealed class TeamState
{
    /// <summary>The owner; null = the conversation's creator (a seed 003 group that was never transferred).</summary>
    [Id(0)]
    public string? Owner { get; set; }

    [Id(1)]
    public List<string> Managers { get; set; } = [];

    [Id(2)]
    public string Name { get; set; } = "";

    [Id(3)]
    public string Avatar { get; set; } = "";

    [Id(4)]
    public string Intro { get; set; } = "";

    [Id(5)]
    public string Announcement { get; set; } = "";

    /// <summary>Raw JSON object text or null.</summary>
    [Id(6)]
    public string? CustomJson { get; set; }

    [Id(7)]
    public string JoinMode { get; set; } = Interfaces.TeamModes.NeedVerify;

    [Id(8)]
    public string InviteMode { get; set; } = Interfaces.TeamModes.Manager;

    [Id(9)]
    public string BeInviteMode { get; set; } = Interfaces.TeamModes.NoVerify;

    [Id(10)]
    public bool MuteAll { get; set; }

    /// <summary>Unix ms of the last team change; 0 = never (the conversation's times apply).</summary>
    [Id(11)]
    public long UpdateTime { get; set; }

    /// <summary>Member → record, only for members with a nickname or a mute.</summary>
    [Id(12)]
    public Dictionary<string, TeamMemberRecord> Members { get; set; } = new(StringComparer.Ordinal);
}
