using System.Text.Json.Nodes;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Stomp;

/// <summary>JSON bodies specific to the STOMP dialect (seed 001 shapes).</summary>
public static class StompJson
{
    /// <summary>[{"userId","status"}]: both the answer to /app/user/status and each /topic/user/status push.</summary>
    public static JsonArray PresenceArray(IEnumerable<PresenceChange> changes) =>
        new(changes.Select(c => (JsonNode)PresenceJson.Entry(c)).ToArray());
}
