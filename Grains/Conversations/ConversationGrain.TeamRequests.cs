using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Conversations;

/// <summary>
/// Team invitations and applications, carried by system notifications (<see cref="ISystemInboxGrain"/>): the team keeps no
/// pending list of its own. The recipient's notification is the request; accepting or passing names it by id, and the
/// team checks it (type, team, sender, still <c>init</c>) in its own turn before acting, then records the outcome with
/// <see cref="ISystemInboxGrain.SetState"/>.
/// </summary>
public sealed partial class ConversationGrain
{
    /// <summary>be_invite_mode needVerify: each invitee gets <c>teamInvite</c> (attach {team}) to accept or reject.</summary>
    private async Task InviteAsync(string inviterId, IReadOnlyList<string> invitees, string? ps)
    {
        await RequireRegisteredAsync(invitees);
        var draft = new SystemNotificationDraft(SystemNotificationTypes.TeamInvite, inviterId, ConvId, ps, TeamAttach());
        await Task.WhenAll(invitees.Select(id => GrainFactory.GetGrain<ISystemInboxGrain>(id).Post(draft)));
    }

    public async Task<TeamInfo> AcceptInvite(string userId, long sysMsgId, string? exceptConnectionId)
    {
        var invitation = await RequireRequestAsync(userId, sysMsgId, SystemNotificationTypes.TeamInvite);
        await RequireStillJoinableAsync(userId, invitation);
        await JoinTeamAsync([userId], userId, exceptConnectionId);
        await Inbox(userId).SetState(sysMsgId, SystemNotificationStates.Passed);
        return ToTeamInfo();
    }

    public async Task RejectInvite(string userId, long sysMsgId, string? ps)
    {
        ValidatePs(ps);
        var invitation = await RequireRequestAsync(userId, sysMsgId, SystemNotificationTypes.TeamInvite);
        await Inbox(userId).SetState(sysMsgId, SystemNotificationStates.Rejected);
        if (invitation.From.Length > 0)
        {
            await Inbox(invitation.From).Post(new SystemNotificationDraft(SystemNotificationTypes.RejectTeamInvite, userId, ConvId, ps, TeamAttach()));
        }
    }

    public async Task<bool> Apply(string userId, string? ps, string? exceptConnectionId)
    {
        RequireValidUserId(userId);
        ValidatePs(ps);
        ForgetIfUnknown();
        // Any conversation that is not an existing group answers alike, so applying cannot probe private conversations.
        if (!Exists || State.ConvType != ConversationTypes.Group)
            throw new ImException(ImErrorCodes.ConversationNotFound, $"There is no team '{ConvId}'.");
        if (_memberSet.Contains(userId)) throw new ImException(ImErrorCodes.AlreadyTeamMember, "You are already a member of this team.");
        switch (Team.JoinMode)
        {
            case TeamModes.RejectAll:
                throw new ImException(ImErrorCodes.TeamApplyRejected, "This team takes no applications (join_mode rejectAll).");
            case TeamModes.NoVerify:
                await JoinTeamAsync([userId], userId, exceptConnectionId);
                return true;
            default:
                var draft = new SystemNotificationDraft(SystemNotificationTypes.ApplyTeam, userId, ConvId, ps, TeamAttach());
                var deciders = Team.Managers.Prepend(Owner).Distinct(StringComparer.Ordinal);
                await Task.WhenAll(deciders.Select(id => Inbox(id).Post(draft)));
                return false;
        }
    }

    public async Task PassApply(string operatorId, long sysMsgId, string? exceptConnectionId)
    {
        RequireTeam(operatorId);
        RequireManager(operatorId);
        var application = await RequireRequestAsync(operatorId, sysMsgId, SystemNotificationTypes.ApplyTeam);
        await RequireStillJoinableAsync(operatorId, application);
        await JoinTeamAsync([application.From], operatorId, exceptConnectionId);
        await Inbox(operatorId).SetState(sysMsgId, SystemNotificationStates.Passed);
    }

    public async Task RejectApply(string operatorId, long sysMsgId, string? ps)
    {
        RequireTeam(operatorId);
        RequireManager(operatorId);
        ValidatePs(ps);
        var application = await RequireRequestAsync(operatorId, sysMsgId, SystemNotificationTypes.ApplyTeam);
        await Inbox(operatorId).SetState(sysMsgId, SystemNotificationStates.Rejected);
        await Inbox(application.From).Post(new SystemNotificationDraft(SystemNotificationTypes.RejectTeamApply, operatorId, ConvId, ps, TeamAttach()));
    }

    /// <summary>The notification <paramref name="id"/> in the user's inbox is a still-open request of this type about this team (else 4212).</summary>
    private async Task<SystemNotification> RequireRequestAsync(string userId, long id, string type)
    {
        var notification = await Inbox(userId).Get(id);
        if (notification is null || notification.Type != type || notification.TargetId != ConvId || notification.To != userId)
            throw new ImException(ImErrorCodes.TeamNotificationInvalid, $"System notification {id} is not a {type} of team '{ConvId}'.");
        if (notification.State != SystemNotificationStates.Init)
            throw new ImException(ImErrorCodes.TeamNotificationInvalid, $"System notification {id} was handled already ({notification.State}).");
        return notification;
    }

    /// <summary>
    /// The team still exists and the user the request would add is not in it yet; otherwise the request is moot: its
    /// notification (in <paramref name="inboxOwner"/>'s inbox) becomes <c>invalid</c> and the caller gets the reason.
    /// </summary>
    private async Task RequireStillJoinableAsync(string inboxOwner, SystemNotification request)
    {
        var joiner = request.Type == SystemNotificationTypes.TeamInvite ? inboxOwner : request.From;
        ImException? moot = null;
        if (!Exists || State.ConvType != ConversationTypes.Group)
            moot = new ImException(ImErrorCodes.ConversationNotFound, $"Team '{ConvId}' no longer exists.");
        else if (_memberSet.Contains(joiner))
            moot = new ImException(ImErrorCodes.AlreadyTeamMember, $"'{joiner}' is already a member of the team.");
        if (moot is null) return;
        ForgetIfUnknown();
        await Inbox(inboxOwner).SetState(request.Id, SystemNotificationStates.Invalid);
        throw moot;
    }

    private ISystemInboxGrain Inbox(string userId) => GrainFactory.GetGrain<ISystemInboxGrain>(userId);

    /// <summary>What a team notification carries for the client to show: <c>{team}</c>.</summary>
    private string TeamAttach() => new JsonObject { ["team"] = TeamJson.Team(ToTeamInfo()) }.ToJsonString();
}
