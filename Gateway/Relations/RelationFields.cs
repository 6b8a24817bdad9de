using System.Text.Json;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Relations;

/// <summary>Request fields of the friend, relation and profile frames and endpoints (same codes as <see cref="JsonFields"/>).</summary>
public static class RelationFields
{
    /// <summary>The other user: <c>account</c>, a user id (string or number).</summary>
    public static string Account(JsonElement data) => JsonFields.RequiredUserId(data, "account");

    /// <summary>A required true/false (or 0/1) field such as <c>add</c>: missing is 4001.</summary>
    public static bool RequiredFlag(JsonElement data, string name) =>
        JsonFields.TryGet(data, name, out _) ? JsonFields.OptionalFlag(data, name) : throw JsonFields.Missing(name);

    public static string? Ps(JsonElement data) => JsonFields.OptionalString(data, "ps", RelationLimits.MaxPsLength);

    public static long SysMsgId(JsonElement data) => JsonFields.OptionalLong(data, "sysmsg_id") ?? throw JsonFields.Missing("sysmsg_id");

    public static string Alias(JsonElement data) => JsonFields.OptionalString(data, "alias", RelationLimits.MaxAliasLength) ?? throw JsonFields.Missing("alias");

    /// <summary><c>accounts</c>: 1 to <see cref="RelationLimits.MaxProfileLookup"/> user ids (4013 beyond).</summary>
    public static IReadOnlyList<string> Accounts(JsonElement data)
    {
        var ids = JsonFields.RequiredUserIdArray(data, "accounts", RelationLimits.MaxProfileLookup);
        if (ids.Count == 0) throw JsonFields.Missing("accounts");
        return ids;
    }

    /// <summary>The fields of <c>user.update_profile</c>: nickname, avatar, extras (an object); at least one; login's limits.</summary>
    public static ProfileUpdate ProfileUpdate(JsonElement data)
    {
        var update = new ProfileUpdate(
            JsonFields.OptionalString(data, "nickname", OpenApiUserEndpoints.MaxNicknameLength),
            JsonFields.OptionalString(data, "avatar", OpenApiUserEndpoints.MaxAvatarLength),
            JsonFields.OptionalRawObject(data, "extras", OpenApiUserEndpoints.MaxExtrasLength));
        if (update is { Nickname: null, Avatar: null, ExtrasJson: null }) throw JsonFields.Missing("nickname, avatar or extras");
        return update;
    }
}
