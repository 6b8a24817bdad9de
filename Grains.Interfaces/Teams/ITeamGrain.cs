using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// Teams (seed 002 advanced teams) on group conversations: the same grain as <see cref="IConversationGrain"/> (key =
/// conv_id = team id), seen through its team operations. A seed 003 group is a team whose creator is its owner.
/// <para>
/// <c>operatorId</c> is the user acting, whose role is checked here (4202 owner only, 4203 owner or manager only);
/// null = the server API, which may do what the owner may. A user who is not a member (or a team that does not exist)
/// gets 4003, the server API 4004; a conversation that is not a group gets 4201. <c>exceptConnectionId</c> is the
/// connection that asked: it has the ack, so it gets no event.
/// </para>
/// </summary>
[Alias("im.ITeamGrain")]
public interface ITeamGrain : IGrainWithStringKey
{
    /// <summary>Creates the team with the owner and members (211 for users who never logged in); members get <c>createTeam</c>.</summary>
    Task<TeamInfo> CreateTeam(CreateTeamRequest request, string? exceptConnectionId);

    Task<TeamInfo> GetTeam(string? requesterId);

    /// <summary>The team and the user's member record, or null when this is not a team or the user is not in it.</summary>
    Task<TeamMembership?> GetMembership(string userId);

    /// <summary>Changes the info given (owner or managers); members get <c>updateTeam</c>.</summary>
    Task<TeamInfo> UpdateTeam(string? operatorId, TeamSettings changes, string? exceptConnectionId);

    /// <summary>
    /// Adds users (owner and managers; every member when invite_mode is <c>all</c>). With be_invite_mode needVerify a user
    /// operator's invitees get a <c>teamInvite</c> notification instead (<paramref name="ps"/> attached); the server API
    /// always adds at once. Members get <c>addTeamMembers</c>.
    /// </summary>
    Task<TeamAddResult> AddTeamMembers(string? operatorId, IReadOnlyList<string> userIds, string? ps, string? exceptConnectionId);

    /// <summary>Removes members (the owner anyone but themselves; managers normal members only); members and those removed get <c>removeTeamMembers</c>.</summary>
    Task RemoveTeamMembers(string? operatorId, IReadOnlyList<string> userIds, string? exceptConnectionId);

    /// <summary>The user leaves (the owner must transfer or dismiss first: 4204).</summary>
    Task LeaveTeam(string userId, string? exceptConnectionId);

    /// <summary>Makes members managers or normal members again (owner only); members get <c>updateTeamManagers</c>.</summary>
    Task<IReadOnlyList<TeamMember>> UpdateManagers(string? operatorId, IReadOnlyList<string> userIds, bool manager, string? exceptConnectionId);

    /// <summary>Hands the team to another member (owner only); the old owner becomes a normal member, or leaves with <paramref name="leave"/>. Members get <c>transferTeam</c>.</summary>
    Task<TeamInfo> TransferTeam(string? operatorId, string newOwner, bool leave, string? exceptConnectionId);

    /// <summary>Dismisses the team (owner only): members get <c>dismissTeam</c>, then the conversation is deleted.</summary>
    Task DismissTeam(string? operatorId, string? exceptConnectionId);

    /// <summary>
    /// Sets a member's nickname in the team: anyone their own; the owner anyone's; a manager normal members'. Members get
    /// <c>updateTeamMember</c>.
    /// </summary>
    Task<TeamMember> UpdateTeamMember(string? operatorId, string userId, string nickname, string? exceptConnectionId);

    /// <summary>Mutes or unmutes members (the owner anyone but themselves; managers normal members); members get <c>updateTeamMembersMute</c>.</summary>
    Task<IReadOnlyList<TeamMember>> MuteTeamMembers(string? operatorId, IReadOnlyList<string> userIds, bool mute, string? exceptConnectionId);

    /// <summary>Mutes or unmutes everyone but the owner and managers (owner or managers); members get <c>updateTeam</c>.</summary>
    Task<TeamInfo> MuteTeam(string? operatorId, bool mute, string? exceptConnectionId);

    /// <summary>Members in join order from <paramref name="offset"/>, at most <paramref name="limit"/> (≤ <see cref="TeamLimits.MaxMembersPage"/>).</summary>
    Task<TeamMemberPage> GetTeamMembers(string? requesterId, int offset, int limit);

    // Invitations and applications, through system notifications (ISystemInboxGrain).

    /// <summary>
    /// Accepts the invitation <paramref name="sysMsgId"/> in the user's inbox (type teamInvite, for this team, still
    /// init): the user joins, the notification becomes passed. 4212 when the notification does not fit.
    /// </summary>
    Task<TeamInfo> AcceptInvite(string userId, long sysMsgId, string? exceptConnectionId);

    /// <summary>Rejects the invitation: the notification becomes rejected and the inviter gets <c>rejectTeamInvite</c> (<paramref name="ps"/> attached).</summary>
    Task RejectInvite(string userId, long sysMsgId, string? ps);

    /// <summary>
    /// Applies to join (the user need not be a member): join_mode noVerify joins at once (returns true), needVerify sends
    /// <c>applyTeam</c> to the owner and managers (returns false), rejectAll is 4207. 4205 when already a member.
    /// </summary>
    Task<bool> Apply(string userId, string? ps, string? exceptConnectionId);

    /// <summary>Passes the application <paramref name="sysMsgId"/> in the operator's inbox (owner or manager): the applicant joins.</summary>
    Task PassApply(string operatorId, long sysMsgId, string? exceptConnectionId);

    /// <summary>Rejects the application: the notification becomes rejected and the applicant gets <c>rejectTeamApply</c>.</summary>
    Task RejectApply(string operatorId, long sysMsgId, string? ps);
}
