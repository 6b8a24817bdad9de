namespace OrleansIm.Grains.Interfaces;

/// <summary>A team member's role (seed 002 / NIM team member types).</summary>
public static class TeamRoles
{
    /// <summary>The one owner: every operation, and the only one who may change managers, transfer or dismiss.</summary>
    public const string Owner = "owner";

    /// <summary>A manager: updates the team, adds and removes normal members, mutes them.</summary>
    public const string Manager = "manager";

    /// <summary>Everyone else.</summary>
    public const string Normal = "normal";
}
