using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans;
using OrleansIm.Gateway.Protocol.SystemMessages;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// sysmsg.list {before_id?, limit? (1-100, default 100)} → {sysMsgs (newest first), unread, has_more}: the user's
/// system notifications, paged backwards from the newest (or from below before_id).
/// </summary>
public sealed class SysMsgListFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "sysmsg.list";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var beforeId = JsonFields.OptionalLong(data, "before_id");
        var limit = Paging.Size(JsonFields.OptionalInt(data, "limit"), SystemNotificationLimits.MaxPageSize, "limit");
        var inbox = grains.GetGrain<ISystemInboxGrain>(session.UserId);
        var unread = inbox.GetUnreadCount();
        var page = await inbox.List(beforeId, limit);
        return FrameReply.Ack(Type, new JsonObject
        {
            ["sysMsgs"] = new JsonArray(SystemNotificationNodes.From(page.Items).ToArray()),
            ["unread"] = await unread,
            ["has_more"] = page.HasMore,
        });
    }
}
