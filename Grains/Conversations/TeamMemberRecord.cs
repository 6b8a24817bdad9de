namespace OrleansIm.Grains.Conversations;

/// <summary>What sets one team member apart from the default: a nickname in the team, a mute.</summary>
[GenerateSerializer, Alias("im.TeamMemberRecord")]
public sealed class TeamMemberRecord
{
    [Id(0)]
    public string Nickname { get; set; } = "";

    [Id(1)]
    public bool Muted { get; set; }

    public bool IsDefault => Nickname.Length == 0 && !Muted;
}
