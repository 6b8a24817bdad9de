using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Relations;

/// <summary>The client events and notification attachments of friends and relations (docs/protocol.md § Friends and relations).</summary>
internal static class RelationEvents
{
    /// <summary>syncFriend {type, account, friend?}: <paramref name="account"/> is the other user of the change.</summary>
    public static ClientEvent SyncFriend(string operation, string account, Friend? friend) => new(RelationEventNames.SyncFriend, new JsonObject
    {
        ["type"] = operation,
        ["account"] = account,
        ["friend"] = friend is null ? null : RelationJson.Friend(friend),
    }.ToJsonString());

    public static ClientEvent BlackListChanged(string account, bool add, long time) => new(RelationEventNames.UpdateBlackList, new JsonObject
    {
        ["account"] = account,
        ["add"] = add,
        ["time"] = time,
    }.ToJsonString());

    public static ClientEvent MuteListChanged(string account, bool add, long time) => new(RelationEventNames.UpdateMuteList, new JsonObject
    {
        ["account"] = account,
        ["add"] = add,
        ["time"] = time,
    }.ToJsonString());

    public static ClientEvent SessionMuteChanged(string convId, bool add, long time) => new(RelationEventNames.UpdateMuteList, new JsonObject
    {
        ["conv_id"] = convId,
        ["add"] = add,
        ["time"] = time,
    }.ToJsonString());

    /// <summary>A friendRequest notification's attach: {type: addFriend|applyFriend|passFriendApply|rejectFriendApply}.</summary>
    public static string Attach(string operation) => new JsonObject { ["type"] = operation }.ToJsonString();

    /// <summary>The attach type of a stored notification, or null if it has none.</summary>
    public static string? AttachType(string? attachJson)
    {
        if (attachJson is null) return null;
        try
        {
            return JsonNode.Parse(attachJson) is JsonObject attach && attach["type"] is JsonValue type && type.TryGetValue<string>(out var value) ? value : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
