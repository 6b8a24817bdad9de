using System.Text.Json.Nodes;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// Friends and relation lists as clients see them (docs/protocol.md § Friends and relations), one shape for the events a
/// grain pushes, the frame acks, the login sync and the server API.
/// </summary>
public static class RelationJson
{
    /// <summary>{account, alias, create_time, update_time}.</summary>
    public static JsonObject Friend(Friend friend) => new()
    {
        ["account"] = friend.Account,
        ["alias"] = friend.Alias,
        ["create_time"] = friend.CreateTime,
        ["update_time"] = friend.UpdateTime,
    };

    public static JsonArray Friends(IEnumerable<Friend> friends) => new(friends.Select(f => (JsonNode)Friend(f)).ToArray());

    /// <summary>[{account, time}] for users, [{conv_id, time}] for conversations.</summary>
    public static JsonArray Entries(IEnumerable<RelationEntry> entries, string idName = "account") =>
        new(entries.Select(e => (JsonNode)new JsonObject { [idName] = e.Id, ["time"] = e.Time }).ToArray());

    /// <summary>{blacklist, mutelist, muted_sessions} (seed 002 sync <c>relations</c>).</summary>
    public static JsonObject Lists(RelationLists lists) => new()
    {
        ["blacklist"] = Entries(lists.Blacklist),
        ["mutelist"] = Entries(lists.Mutelist),
        ["muted_sessions"] = Entries(lists.MutedSessions, "conv_id"),
    };
}
