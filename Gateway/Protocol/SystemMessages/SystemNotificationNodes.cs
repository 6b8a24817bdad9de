using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol.SystemMessages;

/// <summary>Notifications as reply nodes, in the one client shape <see cref="SystemNotificationJson"/> writes for the events too.</summary>
public static class SystemNotificationNodes
{
    public static IEnumerable<JsonNode> From(IEnumerable<SystemNotification> notifications) =>
        notifications.Select(n => JsonNode.Parse(SystemNotificationJson.Write(n))!);
}
