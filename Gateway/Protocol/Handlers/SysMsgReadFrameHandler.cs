using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// sysmsg.read {ids? (≤ 100; absent or empty = all)} → {unread}: marks system notifications read; the user's other
/// devices get <c>sysMsgUnread</c>. Unknown ids are ignored (they may have been dropped from the bounded inbox).
/// </summary>
public sealed class SysMsgReadFrameHandler(IGrainFactory grains) : IFrameHandler
{
    public string Type => "sysmsg.read";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        if (JsonFields.TryGet(data, "ids", out var element) && element.ValueKind != JsonValueKind.Null)
        {
            if (element.ValueKind != JsonValueKind.Array) throw JsonFields.WrongType("ids", "an array of notification ids");
            if (element.GetArrayLength() > SystemNotificationLimits.MaxIdsPerRead)
                throw new ImException(ImErrorCodes.LimitExceeded, $"'ids' has more than {SystemNotificationLimits.MaxIdsPerRead} entries.");
            foreach (var item in element.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var id)) throw JsonFields.WrongType("ids", "an array of integer ids");
                ids.Add(id);
            }
        }
        var unread = await grains.GetGrain<ISystemInboxGrain>(session.UserId).MarkRead(ids, session.ConnectionId);
        return FrameReply.Ack(Type, new JsonObject { ["unread"] = unread });
    }
}
