using System.Globalization;
using System.Text.Json;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Teams;

/// <summary>Typed reads of team request fields (frames and the server API), with the codes of <see cref="JsonFields"/>.</summary>
public static class TeamFields
{
    public static string TeamId(JsonElement data) => JsonFields.RequiredConversationId(data, "team_id");

    public static IReadOnlyList<string> UserIds(JsonElement data, string name = "user_ids")
    {
        var ids = JsonFields.RequiredUserIdArray(data, name, TeamLimits.MaxIdsPerRequest);
        if (ids.Count == 0) throw JsonFields.Missing(name);
        return ids;
    }

    /// <summary>A 0/1 flag that must be present (mute: true and false both mean something).</summary>
    public static bool RequiredFlag(JsonElement data, string name) =>
        JsonFields.TryGet(data, name, out _) ? JsonFields.OptionalFlag(data, name) : throw JsonFields.Missing(name);

    public static string? Ps(JsonElement data) => JsonFields.OptionalString(data, "ps", TeamLimits.MaxPsLength);

    public static long SysMsgId(JsonElement data)
    {
        var id = JsonFields.OptionalLong(data, "sysmsg_id") ?? throw JsonFields.Missing("sysmsg_id");
        if (id < 1) throw JsonFields.WrongType("sysmsg_id", "a positive integer");
        return id;
    }

    /// <summary>The team info fields present in <paramref name="data"/>; absent ones stay null (unchanged).</summary>
    public static TeamSettings Settings(JsonElement data) => new(
        Name: JsonFields.OptionalString(data, "name", TeamLimits.MaxNameLength),
        Avatar: JsonFields.OptionalString(data, "avatar", TeamLimits.MaxAvatarLength),
        Intro: JsonFields.OptionalString(data, "intro", TeamLimits.MaxIntroLength),
        Announcement: JsonFields.OptionalString(data, "announcement", TeamLimits.MaxAnnouncementLength),
        CustomJson: JsonFields.OptionalRawObject(data, "custom", TeamLimits.MaxCustomLength),
        JoinMode: Mode(data, "join_mode", TeamModes.IsJoinMode, "noVerify, needVerify or rejectAll"),
        InviteMode: Mode(data, "invite_mode", TeamModes.IsInviteMode, "manager or all"),
        BeInviteMode: Mode(data, "be_invite_mode", TeamModes.IsBeInviteMode, "noVerify or needVerify"));

    /// <summary>A team's name at creation: 1–64 characters.</summary>
    public static string Name(JsonElement data)
    {
        var name = JsonFields.RequiredString(data, "name", TeamLimits.MaxNameLength);
        if (name.Trim().Length == 0) throw JsonFields.Missing("name");
        return name;
    }

    /// <summary>Members paging: <c>cursor</c> is the previous page's (a decimal offset), <c>limit</c> 1–100 (default 50).</summary>
    public static (int Offset, int Limit) MembersPage(JsonElement data) =>
        MembersPage(JsonFields.OptionalString(data, "cursor", 16), JsonFields.OptionalInt(data, "limit"));

    public static (int Offset, int Limit) MembersPage(string? cursor, int? limit)
    {
        var offset = 0;
        if (cursor is not null && !int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            throw JsonFields.WrongType("cursor", "a cursor from the previous page");
        var size = limit ?? TeamLimits.DefaultMembersPage;
        if (size < 1) throw JsonFields.WrongType("limit", "1 or more");
        if (size > TeamLimits.MaxMembersPage)
            throw new ImException(ImErrorCodes.LimitExceeded, $"'limit' must be at most {TeamLimits.MaxMembersPage}.");
        return (offset, size);
    }

    private static string? Mode(JsonElement data, string name, Func<string?, bool> valid, string expected)
    {
        var value = JsonFields.OptionalString(data, name, 32);
        if (value is not null && !valid(value)) throw JsonFields.WrongType(name, expected);
        return value;
    }
}
