using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// session.list: one page of the user's sessions (recent conversations), newest update first: data.cursor (from the
/// previous page's reply, absent for the first page) and data.limit (≤ <see cref="SessionLimits.MaxPageSize"/>). The
/// last messages of a page take at most <see cref="GatewayOptions.MaxReplyBytes"/>; a page cut short says has_more.
/// </summary>
public sealed class SessionListFrameHandler(IGrainFactory grains, IOptions<GatewayOptions> options) : IFrameHandler
{
    public string Type => "session.list";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var cursor = JsonFields.OptionalString(data, "cursor", 100);
        var limit = SessionPaging.Limit(JsonFields.OptionalInt(data, "limit"), "limit");
        var page = await grains.GetGrain<IUserGrain>(session.UserId).GetSessions(cursor, limit);
        return FrameReply.Ack(Type, SessionJson.Page(page, new ReplyBudget(options.Value.MaxReplyBytes)));
    }
}
