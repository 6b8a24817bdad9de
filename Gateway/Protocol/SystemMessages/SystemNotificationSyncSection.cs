using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans;
using OrleansIm.Gateway.Protocol.Sync;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol.SystemMessages;

/// <summary>
/// Sync option <c>sysMsgs</c> (on by default) → <c>syncSysMsgs</c> {sysMsgs (newest first, at most
/// <c>sysMsgLimit</c>, default and most 100), unread, has_more}; older ones page on with <c>sysmsg.list</c>.
/// </summary>
public sealed class SystemNotificationSyncSection(IGrainFactory grains) : ILoginSyncSection
{
    public string Option => "sysMsgs";

    public IReadOnlyCollection<string> ExtraOptions { get; } = ["sysMsgLimit"];

    public bool OnByDefault => true;

    public int Order => 800;

    public async Task<IReadOnlyList<PushFrame>> BuildAsync(ClientSession session, JsonElement options, ReplyBudget budget, JsonObject done, LoginSyncCache shared, CancellationToken cancellationToken)
    {
        var limit = Paging.Size(JsonFields.OptionalInt(options, "sysMsgLimit"), SystemNotificationLimits.MaxPageSize, "sysMsgLimit");
        var inbox = grains.GetGrain<ISystemInboxGrain>(session.UserId);
        var unread = inbox.GetUnreadCount();
        var page = await inbox.List(null, limit);
        var rows = budget.TakeRows(SystemNotificationNodes.From(page.Items), out var cut);
        var hasMore = cut || page.HasMore;
        done["sysmsgs_more"] = hasMore;
        return [new PushFrame(SystemNotificationEventNames.SyncSysMsgs, new JsonObject
        {
            ["sysMsgs"] = rows,
            ["unread"] = await unread,
            ["has_more"] = hasMore,
        })];
    }
}
