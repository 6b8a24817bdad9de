using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>Presence shapes: {"userId","status"} entries (seed 001 naming).</summary>
public static class PresenceJson
{
    public static JsonObject Entry(PresenceChange change) => new() { ["userId"] = change.UserId, ["status"] = change.Status };

    public static JsonObject Users(IEnumerable<PresenceChange> changes) =>
        new() { ["users"] = new JsonArray(changes.Select(c => (JsonNode)Entry(c)).ToArray()) };
}
