namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// Seed 002's names of the team events (<see cref="ClientEvent.Name"/>), pushed to every member's devices. The data of
/// each is in docs/protocol.md § Teams; <c>team</c> objects and <c>members</c> rows are <see cref="TeamJson"/>'s.
/// </summary>
public static class TeamEventNames
{
    /// <summary>Login sync: every team the user is in, <c>{teams, has_more}</c>.</summary>
    public const string Teams = "teams";

    /// <summary>Login sync: the user's own member record in each of their teams, <c>{members, has_more}</c>.</summary>
    public const string MyTeamMembers = "myTeamMembers";

    /// <summary>A team was created with the receiving user in it: <c>{team, members}</c>.</summary>
    public const string CreateTeam = "createTeam";

    /// <summary>Users joined (added, an invitation accepted, an application passed): <c>{team_id, team, user_ids, members, by}</c>.</summary>
    public const string AddTeamMembers = "addTeamMembers";

    /// <summary>Users left or were removed (also sent to them): <c>{team_id, team, user_ids, by, reason}</c>.</summary>
    public const string RemoveTeamMembers = "removeTeamMembers";

    /// <summary>The team's info changed (also mute-all): <c>{team_id, team, by}</c>.</summary>
    public const string UpdateTeam = "updateTeam";

    /// <summary>Managers added or removed: <c>{team_id, user_ids, is_manager, members, by}</c>.</summary>
    public const string UpdateTeamManagers = "updateTeamManagers";

    /// <summary>The owner changed: <c>{team_id, team, from, to, left, by}</c>.</summary>
    public const string TransferTeam = "transferTeam";

    /// <summary>The team was dismissed: <c>{team_id, by}</c>.</summary>
    public const string DismissTeam = "dismissTeam";

    /// <summary>A member's own record changed (nickname): <c>{team_id, member, by}</c>.</summary>
    public const string UpdateTeamMember = "updateTeamMember";

    /// <summary>Members were muted or unmuted: <c>{team_id, user_ids, mute, members, by}</c>.</summary>
    public const string UpdateTeamMembersMute = "updateTeamMembersMute";
}
