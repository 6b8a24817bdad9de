using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Conversations;

/// <summary>
/// Teams (seed 002's advanced teams) on group conversations: owner, managers, team info, members' nicknames and mutes.
/// Membership stays the conversation's (the member store, ConversationGrain.Members.cs); what a team adds lives in its own state
/// (<see cref="TeamState"/>, state name <c>team</c>). Every permission is checked here, in the grain's turn, so two
/// gateways cannot race a demoted manager's request past its demotion. Events go to every member as one-way
/// <see cref="IUserGrain.Notify"/> calls, like message fan-out, never awaited one by one.
/// </summary>
public sealed partial class ConversationGrain : ITeamGrain
{
    private readonly IPersistentState<TeamState> _teamState;

    private TeamState Team => _teamState.State;

    /// <summary>A seed 003 group that was never transferred is owned by its creator.</summary>
    private string Owner => Team.Owner ?? State.CreatorId;

    private static long UnixMsNow => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async Task<TeamInfo> CreateTeam(CreateTeamRequest request, string? exceptConnectionId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Settings);
        ValidateSettings(request.Settings);
        var members = (request.Members ?? []).Where(m => m != request.Owner).Distinct(StringComparer.Ordinal).ToList();
        if (members.Count > TeamLimits.MaxIdsPerRequest)
            throw new ImException(ImErrorCodes.LimitExceeded, $"A team is created with at most {TeamLimits.MaxIdsPerRequest} members besides its owner.");

        await CreateAsync(new CreateConversationRequest(request.AppId, request.Owner, members, ConversationTypes.Group, null), alone: true);
        _teamState.State = new TeamState { Owner = request.Owner };
        ApplySettings(request.Settings);
        await WriteTeamStateAsync();

        var team = ToTeamInfo();
        var payload = new JsonObject { ["team"] = TeamJson.Team(team), ["members"] = TeamJson.Members(_members.Select(MemberOf)) };
        NotifyTeam(_members, TeamEventNames.CreateTeam, payload, request.Owner, exceptConnectionId);
        return team;
    }

    public Task<TeamInfo> GetTeam(string? requesterId)
    {
        RequireTeam(requesterId);
        return Task.FromResult(ToTeamInfo());
    }

    public Task<TeamMembership?> GetMembership(string userId)
    {
        ForgetIfUnknown();
        if (!Exists || State.ConvType != ConversationTypes.Group || !_memberSet.Contains(userId)) return Task.FromResult<TeamMembership?>(null);
        return Task.FromResult<TeamMembership?>(new TeamMembership(ToTeamInfo(), MemberOf(userId)));
    }

    public async Task<TeamInfo> UpdateTeam(string? operatorId, TeamSettings changes, string? exceptConnectionId)
    {
        ArgumentNullException.ThrowIfNull(changes);
        RequireTeam(operatorId);
        RequireManager(operatorId);
        if (changes.IsEmpty) throw new ImException(ImErrorCodes.MissingParameter, "Name at least one field of the team to change.");
        ValidateSettings(changes);
        ApplySettings(changes);
        await WriteTeamStateAsync();
        var team = ToTeamInfo();
        NotifyTeam(_members, TeamEventNames.UpdateTeam, TeamPayload(team, operatorId), operatorId, exceptConnectionId);
        return team;
    }

    public async Task<TeamAddResult> AddTeamMembers(string? operatorId, IReadOnlyList<string> userIds, string? ps, string? exceptConnectionId)
    {
        RequireTeam(operatorId);
        if (Team.InviteMode != TeamModes.All) RequireManager(operatorId);
        RequireUserIds(userIds);
        ValidatePs(ps);
        var added = userIds.Distinct(StringComparer.Ordinal).Where(id => !_memberSet.Contains(id)).ToList();
        if (added.Count == 0) return new TeamAddResult([], []);
        if (operatorId is not null && Team.BeInviteMode == TeamModes.NeedVerify)
        {
            await InviteAsync(operatorId, added, ps);
            return new TeamAddResult([], added);
        }
        await JoinTeamAsync(added, operatorId, exceptConnectionId);
        return new TeamAddResult(added, []);
    }

    public async Task RemoveTeamMembers(string? operatorId, IReadOnlyList<string> userIds, string? exceptConnectionId)
    {
        RequireTeam(operatorId);
        RequireManager(operatorId);
        RequireUserIds(userIds);
        var removed = userIds.Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in removed)
        {
            RequireTargetMember(id);
            RequireOutranks(operatorId, id);
        }
        await LeaveTeamAsync(removed, operatorId, exceptConnectionId, "removed");
    }

    public async Task LeaveTeam(string userId, string? exceptConnectionId)
    {
        RequireTeam(userId);
        if (userId == Owner)
            throw new ImException(ImErrorCodes.TeamOwnerFixed, "The owner cannot leave the team; transfer it (team.transfer) or dismiss it first.");
        await LeaveTeamAsync([userId], userId, exceptConnectionId, "left");
    }

    public async Task<IReadOnlyList<TeamMember>> UpdateManagers(string? operatorId, IReadOnlyList<string> userIds, bool manager, string? exceptConnectionId)
    {
        RequireTeam(operatorId);
        RequireOwner(operatorId);
        RequireUserIds(userIds);
        var named = userIds.Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in named)
        {
            RequireTargetMember(id);
            if (id == Owner) throw new ImException(ImErrorCodes.TeamOwnerFixed, "The owner is not made a manager or a normal member; transfer the team instead.");
        }
        if (manager)
        {
            var newManagers = named.Where(id => !Team.Managers.Contains(id)).ToList();
            if (Team.Managers.Count + newManagers.Count > TeamLimits.MaxManagers)
                throw new ImException(ImErrorCodes.LimitExceeded, $"A team has at most {TeamLimits.MaxManagers} managers.");
            Team.Managers.AddRange(newManagers);
            // A manager is never muted (managers may speak while the team is muted, and mute normal members).
            foreach (var id in newManagers) SetMemberRecord(id, r => r.Muted = false);
        }
        else
        {
            Team.Managers.RemoveAll(named.Contains);
        }
        await WriteTeamStateAsync();

        var members = named.Select(MemberOf).ToList();
        var payload = new JsonObject
        {
            ["team_id"] = ConvId,
            ["user_ids"] = TeamJson.Ids(named),
            ["is_manager"] = manager,
            ["members"] = TeamJson.Members(members),
            ["by"] = operatorId,
        };
        NotifyTeam(_members, TeamEventNames.UpdateTeamManagers, payload, operatorId, exceptConnectionId);
        return members;
    }

    public async Task<TeamInfo> TransferTeam(string? operatorId, string newOwner, bool leave, string? exceptConnectionId)
    {
        RequireTeam(operatorId);
        RequireOwner(operatorId);
        RequireValidUserId(newOwner);
        RequireTargetMember(newOwner);
        var oldOwner = Owner;
        if (newOwner == oldOwner) throw new ImException(ImErrorCodes.InvalidParameter, $"'{newOwner}' already owns the team.");
        Team.Owner = newOwner;
        Team.Managers.Remove(newOwner);
        SetMemberRecord(newOwner, r => r.Muted = false);
        await WriteTeamStateAsync();
        _logger.LogInformation("Team {TeamId} transferred from {OldOwner} to {NewOwner}.", ConvId, oldOwner, newOwner);

        var payload = new JsonObject
        {
            ["team_id"] = ConvId,
            ["team"] = TeamJson.Team(ToTeamInfo()),
            ["from"] = oldOwner,
            ["to"] = newOwner,
            ["left"] = leave,
            ["by"] = operatorId,
        };
        NotifyTeam(_members, TeamEventNames.TransferTeam, payload, operatorId, exceptConnectionId);
        if (leave) await LeaveTeamAsync([oldOwner], oldOwner, operatorId == oldOwner ? exceptConnectionId : null, "left");
        return ToTeamInfo();
    }

    public async Task DismissTeam(string? operatorId, string? exceptConnectionId)
    {
        RequireTeam(operatorId);
        RequireOwner(operatorId);
        NotifyDismissed(operatorId, exceptConnectionId);
        _logger.LogInformation("Team {TeamId} dismissed by {Operator}.", ConvId, operatorId ?? "the server API");
        await DeleteExistingAsync();
    }

    /// <summary>dismissTeam to every member: a team dismissed, or a group deleted through seed 003's DELETE.</summary>
    private void NotifyDismissed(string? operatorId, string? exceptConnectionId)
    {
        var payload = new JsonObject { ["team_id"] = ConvId, ["by"] = operatorId };
        NotifyTeam(_members.ToList(), TeamEventNames.DismissTeam, payload, operatorId, exceptConnectionId);
    }

    public async Task<TeamMember> UpdateTeamMember(string? operatorId, string userId, string nickname, string? exceptConnectionId)
    {
        ArgumentNullException.ThrowIfNull(nickname);
        RequireTeam(operatorId);
        RequireValidUserId(userId);
        RequireText(nickname, "nickname", TeamLimits.MaxNicknameLength);
        RequireTargetMember(userId);
        if (operatorId is not null && operatorId != userId && operatorId != Owner)
        {
            if (RoleOf(operatorId) == TeamRoles.Normal)
                throw new ImException(ImErrorCodes.NotTeamManager, "Only the owner or a manager may change another member's nickname.");
            if (RoleOf(userId) != TeamRoles.Normal)
                throw new ImException(ImErrorCodes.NotTeamManager, "A manager may change only normal members' nicknames.");
        }
        SetMemberRecord(userId, r => r.Nickname = nickname);
        await WriteTeamStateAsync();
        var member = MemberOf(userId);
        var payload = new JsonObject { ["team_id"] = ConvId, ["member"] = TeamJson.Member(member), ["by"] = operatorId };
        NotifyTeam(_members, TeamEventNames.UpdateTeamMember, payload, operatorId, exceptConnectionId);
        return member;
    }

    public async Task<IReadOnlyList<TeamMember>> MuteTeamMembers(string? operatorId, IReadOnlyList<string> userIds, bool mute, string? exceptConnectionId)
    {
        RequireTeam(operatorId);
        RequireManager(operatorId);
        RequireUserIds(userIds);
        var named = userIds.Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in named)
        {
            RequireTargetMember(id);
            RequireOutranks(operatorId, id);
            // Managers speak while the team is muted; muting one would mean nothing until demoted, so it is refused.
            if (mute && RoleOf(id) == TeamRoles.Manager)
                throw new ImException(ImErrorCodes.NotTeamManager, $"'{id}' is a manager; make them a normal member before muting them.");
        }
        foreach (var id in named) SetMemberRecord(id, r => r.Muted = mute);
        await WriteTeamStateAsync();

        var members = named.Select(MemberOf).ToList();
        var payload = new JsonObject
        {
            ["team_id"] = ConvId,
            ["user_ids"] = TeamJson.Ids(named),
            ["mute"] = mute,
            ["members"] = TeamJson.Members(members),
            ["by"] = operatorId,
        };
        NotifyTeam(_members, TeamEventNames.UpdateTeamMembersMute, payload, operatorId, exceptConnectionId);
        return members;
    }

    public async Task<TeamInfo> MuteTeam(string? operatorId, bool mute, string? exceptConnectionId)
    {
        RequireTeam(operatorId);
        RequireManager(operatorId);
        Team.MuteAll = mute;
        await WriteTeamStateAsync();
        var team = ToTeamInfo();
        NotifyTeam(_members, TeamEventNames.UpdateTeam, TeamPayload(team, operatorId), operatorId, exceptConnectionId);
        return team;
    }

    public Task<TeamMemberPage> GetTeamMembers(string? requesterId, int offset, int limit)
    {
        RequireTeam(requesterId);
        if (limit is < 1 or > TeamLimits.MaxMembersPage)
            throw new ImException(ImErrorCodes.LimitExceeded, $"limit must be 1-{TeamLimits.MaxMembersPage}.");
        if (offset < 0) throw new ImException(ImErrorCodes.InvalidParameter, "The cursor must not be negative.");
        var page = _members.Skip(offset).Take(limit).Select(MemberOf).ToList();
        int? next = offset + page.Count < _members.Count ? offset + page.Count : null;
        return Task.FromResult(new TeamMemberPage(page, next));
    }

    /// <summary>
    /// msg.send's check in a team: a muted member, or anyone but the owner and managers while the team is muted, may not
    /// send. Other conversation types have no mutes.
    /// </summary>
    private void RequireMayTalk(string userId)
    {
        if (State.ConvType != ConversationTypes.Group || RoleOf(userId) != TeamRoles.Normal) return;
        if (Team.Members.TryGetValue(userId, out var record) && record.Muted)
            throw new ImException(ImErrorCodes.TeamMemberMuted, "You are muted in this team.");
        if (Team.MuteAll)
            throw new ImException(ImErrorCodes.TeamMuted, "The team is muted: only its owner and managers may send.");
    }

    /// <summary>Adds users who are not members yet (limit, registration), then tells every member with <c>addTeamMembers</c>.</summary>
    private async Task JoinTeamAsync(IReadOnlyList<string> added, string? operatorId, string? exceptConnectionId)
    {
        if (_members.Count + added.Count > _options.MaxGroupMembers)
            throw new ImException(ImErrorCodes.LimitExceeded, $"A team has at most {_options.MaxGroupMembers} members (ImGrains:MaxGroupMembers).");
        await RequireRegisteredAsync(added);
        await AddMembersToStoreAsync(added);
        await TryUpsertIndexAsync();
        await JoinMembersAsync(added);
        NotifyMembersAdded(added, operatorId, exceptConnectionId);
    }

    private void NotifyMembersAdded(IReadOnlyList<string> added, string? operatorId, string? exceptConnectionId)
    {
        var payload = new JsonObject
        {
            ["team_id"] = ConvId,
            ["team"] = TeamJson.Team(ToTeamInfo()),
            ["user_ids"] = TeamJson.Ids(added),
            ["members"] = TeamJson.Members(added.Select(MemberOf)),
            ["by"] = operatorId,
        };
        NotifyTeam(_members, TeamEventNames.AddTeamMembers, payload, operatorId, exceptConnectionId);
    }

    /// <summary>
    /// Takes members out: their member rows first (what membership checks read), then their team records and manager
    /// places. Everyone who was a member, those leaving included, gets <c>removeTeamMembers</c>.
    /// </summary>
    private async Task LeaveTeamAsync(IReadOnlyList<string> removed, string? operatorId, string? exceptConnectionId, string reason)
    {
        var recipients = _members.ToList();
        var gone = removed.ToHashSet(StringComparer.Ordinal);
        await RemoveMembersFromStoreAsync(gone);

        var teamChanged = Team.Managers.RemoveAll(gone.Contains) > 0;
        foreach (var id in gone) teamChanged |= Team.Members.Remove(id);
        if (teamChanged) await WriteTeamStateAsync();
        await TryUpsertIndexAsync();
        try
        {
            await LeaveMembersAsync(gone);
        }
        catch (Exception ex)
        {
            // Their conversation lists are derived data; the conversation's own rows, written above, are what counts.
            _logger.LogWarning(ex, "Team {TeamId}: removing it from a leaving member's list failed.", ConvId);
        }

        var payload = new JsonObject
        {
            ["team_id"] = ConvId,
            ["team"] = TeamJson.Team(ToTeamInfo()),
            ["user_ids"] = TeamJson.Ids(removed),
            ["by"] = operatorId,
            ["reason"] = reason,
        };
        NotifyTeam(recipients, TeamEventNames.RemoveTeamMembers, payload, operatorId, exceptConnectionId);
    }

    /// <summary>One one-way push per recipient (as messages fan out); the operator's asking connection is left out.</summary>
    private void NotifyTeam(IEnumerable<string> recipients, string name, JsonObject payload, string? operatorId, string? exceptConnectionId)
    {
        var clientEvent = new ClientEvent(name, payload.ToJsonString());
        foreach (var member in recipients)
        {
            var except = member == operatorId ? exceptConnectionId : null;
            FireAndForget.Run(() => GrainFactory.GetGrainWithCachedType<IUserGrain>(member).Notify(clientEvent, except), _logger, LogLevel.Warning,
                "Team {TeamId}: pushing {Event} to {UserId} failed.", ConvId, name, member);
        }
    }

    private JsonObject TeamPayload(TeamInfo team, string? operatorId) =>
        new() { ["team_id"] = ConvId, ["team"] = TeamJson.Team(team), ["by"] = operatorId };

    /// <summary>The team exists and is a group; a user must be in it (4003, like every read on a user's behalf).</summary>
    private void RequireTeam(string? requesterId)
    {
        RequireReadable(requesterId);
        if (State.ConvType != ConversationTypes.Group)
            throw new ImException(ImErrorCodes.NotTeam, $"Conversation '{ConvId}' is not a team (conv_type {State.ConvType}); only groups (3) are.");
    }

    private string RoleOf(string userId) =>
        userId == Owner ? TeamRoles.Owner : Team.Managers.Contains(userId) ? TeamRoles.Manager : TeamRoles.Normal;

    private void RequireOwner(string? operatorId)
    {
        if (operatorId is not null && operatorId != Owner)
            throw new ImException(ImErrorCodes.NotTeamOwner, "Only the team's owner may do this.");
    }

    private void RequireManager(string? operatorId)
    {
        if (operatorId is not null && RoleOf(operatorId) == TeamRoles.Normal)
            throw new ImException(ImErrorCodes.NotTeamManager, "Only the team's owner or a manager may do this.");
    }

    /// <summary>The owner is never acted on; a manager acts on normal members only.</summary>
    private void RequireOutranks(string? operatorId, string target)
    {
        if (target == Owner) throw new ImException(ImErrorCodes.TeamOwnerFixed, "The owner cannot be removed or muted.");
        if (operatorId is null || operatorId == Owner) return;
        if (RoleOf(target) != TeamRoles.Normal)
            throw new ImException(ImErrorCodes.NotTeamManager, $"'{target}' is a manager: only the owner may do this to them.");
    }

    private void RequireTargetMember(string userId)
    {
        if (!_memberSet.Contains(userId))
            throw new ImException(ImErrorCodes.NotTeamMemberTarget, $"'{userId}' is not a member of team '{ConvId}'.");
    }

    private static void RequireUserIds(IReadOnlyList<string>? userIds)
    {
        if (userIds is null || userIds.Count == 0) throw new ImException(ImErrorCodes.MissingParameter, "Name at least one user (user_ids).");
        if (userIds.Count > TeamLimits.MaxIdsPerRequest)
            throw new ImException(ImErrorCodes.LimitExceeded, $"At most {TeamLimits.MaxIdsPerRequest} user ids per request.");
        foreach (var id in userIds) RequireValidUserId(id);
    }

    private static void ValidatePs(string? ps)
    {
        if (ps is not null) RequireText(ps, "ps", TeamLimits.MaxPsLength);
    }

    private static void RequireText(string value, string name, int maxLength)
    {
        if (value.Length > maxLength) throw new ImException(ImErrorCodes.LimitExceeded, $"{name} is longer than {maxLength} characters.");
        if (value.Contains('\0')) throw new ImException(ImErrorCodes.InvalidParameter, $"{name} must not contain the NUL character (U+0000).");
    }

    private static void ValidateSettings(TeamSettings settings)
    {
        if (settings.Name is not null) RequireText(settings.Name, "name", TeamLimits.MaxNameLength);
        if (settings.Avatar is not null) RequireText(settings.Avatar, "avatar", TeamLimits.MaxAvatarLength);
        if (settings.Intro is not null) RequireText(settings.Intro, "intro", TeamLimits.MaxIntroLength);
        if (settings.Announcement is not null) RequireText(settings.Announcement, "announcement", TeamLimits.MaxAnnouncementLength);
        if (settings.CustomJson is not null)
        {
            RequireText(settings.CustomJson, "custom", TeamLimits.MaxCustomLength);
            if (!IsJsonObject(settings.CustomJson)) throw new ImException(ImErrorCodes.InvalidParameter, "custom must be a JSON object.");
        }
        if (settings.JoinMode is not null && !TeamModes.IsJoinMode(settings.JoinMode))
            throw new ImException(ImErrorCodes.InvalidParameter, "join_mode must be noVerify, needVerify or rejectAll.");
        if (settings.InviteMode is not null && !TeamModes.IsInviteMode(settings.InviteMode))
            throw new ImException(ImErrorCodes.InvalidParameter, "invite_mode must be manager or all.");
        if (settings.BeInviteMode is not null && !TeamModes.IsBeInviteMode(settings.BeInviteMode))
            throw new ImException(ImErrorCodes.InvalidParameter, "be_invite_mode must be noVerify or needVerify.");
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void ApplySettings(TeamSettings settings)
    {
        if (settings.Name is not null) Team.Name = settings.Name;
        if (settings.Avatar is not null) Team.Avatar = settings.Avatar;
        if (settings.Intro is not null) Team.Intro = settings.Intro;
        if (settings.Announcement is not null) Team.Announcement = settings.Announcement;
        if (settings.CustomJson is not null) Team.CustomJson = settings.CustomJson;
        if (settings.JoinMode is not null) Team.JoinMode = settings.JoinMode;
        if (settings.InviteMode is not null) Team.InviteMode = settings.InviteMode;
        if (settings.BeInviteMode is not null) Team.BeInviteMode = settings.BeInviteMode;
    }

    /// <summary>Changes a member's record, dropping it when it is back to the default (keeps the state to exceptional members).</summary>
    private void SetMemberRecord(string userId, Action<TeamMemberRecord> change)
    {
        var record = Team.Members.GetValueOrDefault(userId) ?? new TeamMemberRecord();
        change(record);
        if (record.IsDefault) Team.Members.Remove(userId);
        else Team.Members[userId] = record;
    }

    private TeamMember MemberOf(string userId)
    {
        var record = Team.Members.GetValueOrDefault(userId);
        return new TeamMember(ConvId, userId, RoleOf(userId), record?.Nickname ?? "", record?.Muted ?? false);
    }

    private TeamInfo ToTeamInfo() => new(
        ConvId, Team.Name, Team.Avatar, Team.Intro, Team.Announcement, Team.CustomJson, Owner, Team.JoinMode, Team.InviteMode,
        Team.BeInviteMode, Team.MuteAll, _members.Count, State.CTime, Math.Max(Team.UpdateTime, State.MTime ?? State.CTime));

    private async Task WriteTeamStateAsync()
    {
        Team.UpdateTime = UnixMsNow;
        try
        {
            await _teamState.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle(); // memory is ahead of storage: start again from what is stored
            throw;
        }
    }

    private async Task ClearTeamStateAsync()
    {
        if (_teamState.RecordExists) await _teamState.ClearStateAsync();
        _teamState.State = new TeamState();
    }
}
