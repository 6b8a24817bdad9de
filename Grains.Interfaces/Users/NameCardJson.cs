using System.Text.Json.Nodes;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A user's name card as clients see it (seed 002 <c>syncMyNameCard</c>, <c>updateMyNameCard</c>, <c>users</c>), in the
/// server API's user fields: {id, nickname, avatar, userStatus, lastLoginTime, extras}. One shape for the sync, the
/// event a grain pushes and the lookups.
/// </summary>
public static class NameCardJson
{
    public static JsonObject ToJson(UserProfile profile) => new()
    {
        ["id"] = profile.Id,
        ["nickname"] = profile.Nickname,
        ["avatar"] = profile.Avatar,
        ["userStatus"] = profile.UserStatus,
        ["lastLoginTime"] = profile.LastLoginTime,
        ["extras"] = Extras(profile.ExtrasJson),
    };

    /// <summary>Extras are checked to be a JSON object when stored; anything unreadable shows as {}.</summary>
    private static JsonNode Extras(string? raw)
    {
        if (raw is null) return new JsonObject();
        try
        {
            return JsonNode.Parse(raw) ?? new JsonObject();
        }
        catch (System.Text.Json.JsonException)
        {
            return new JsonObject();
        }
    }
}
