using System.Text.Json.Nodes;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// The client JSON of teams and members, shared by the grain's events and the gateway's acks and sync so that both
/// show one shape (docs/protocol.md § Teams).
/// </summary>
public static class TeamJson
{
    public static JsonObject Team(TeamInfo team) => new()
    {
        ["team_id"] = team.TeamId,
        ["name"] = team.Name,
        ["avatar"] = team.Avatar,
        ["intro"] = team.Intro,
        ["announcement"] = team.Announcement,
        ["custom"] = team.CustomJson is null ? null : JsonNode.Parse(team.CustomJson),
        ["owner"] = team.Owner,
        ["join_mode"] = team.JoinMode,
        ["invite_mode"] = team.InviteMode,
        ["be_invite_mode"] = team.BeInviteMode,
        ["mute_all"] = team.MuteAll,
        ["member_count"] = team.MemberCount,
        ["create_time"] = team.CreateTime,
        ["update_time"] = team.UpdateTime,
    };

    public static JsonObject Member(TeamMember member) => new()
    {
        ["team_id"] = member.TeamId,
        ["user_id"] = member.UserId,
        ["role"] = member.Role,
        ["nickname"] = member.Nickname,
        ["muted"] = member.Muted,
    };

    public static JsonArray Members(IEnumerable<TeamMember> members) => new(members.Select(m => (JsonNode)Member(m)).ToArray());

    public static JsonArray Ids(IEnumerable<string> ids) => new(ids.Select(id => (JsonNode)id!).ToArray());
}
