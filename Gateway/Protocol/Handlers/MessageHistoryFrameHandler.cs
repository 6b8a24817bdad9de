using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.history: either seed-style paging (page/size, newest first) or cursor scrolling (before_seq or after_seq + limit).
/// A reply holds at most <see cref="GatewayOptions.MaxReplyBytes"/> of message bytes: past that it is cut short and says
/// truncated = true (cursor mode also has_more = true; page mode: continue with before_seq).
/// </summary>
public sealed class MessageHistoryFrameHandler(IGrainFactory grains, IOptions<GatewayOptions> options) : IFrameHandler
{
    public const int DefaultSize = 20;

    public string Type => "msg.history";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        var convId = JsonFields.RequiredConversationId(data);
        var conversation = grains.GetGrainWithCachedType<IConversationGrain>(convId);
        var beforeSeq = JsonFields.OptionalLong(data, "before_seq");
        var afterSeq = JsonFields.OptionalLong(data, "after_seq");

        if (beforeSeq is not null || afterSeq is not null)
        {
            if (beforeSeq is not null && afterSeq is not null)
                throw new ImException(ImErrorCodes.InvalidParameter, "Give before_seq or after_seq, not both.");
            var limit = Paging.Size(JsonFields.OptionalInt(data, "limit"), DefaultSize, "limit");
            IReadOnlyList<ChatMessage> messages = beforeSeq is not null
                ? await conversation.GetMessagesBefore(session.UserId, beforeSeq.Value, limit)
                : await conversation.GetMessagesAfter(session.UserId, Math.Max(0, afterSeq!.Value), limit);
            var budget = new ReplyBudget(options.Value.MaxReplyBytes);
            var rows = budget.Take(messages, out var cut);
            return FrameReply.Ack(Type, new JsonObject
            {
                ["conv_id"] = convId,
                ["messages"] = rows,
                ["has_more"] = cut || messages.Count == limit,
                ["truncated"] = budget.Truncated,
            });
        }

        var page = Paging.Page(JsonFields.OptionalInt(data, "page"));
        var size = Paging.Size(JsonFields.OptionalInt(data, "size"), DefaultSize, "size");
        var result = await conversation.GetHistory(session.UserId, page, size);
        var pageBudget = new ReplyBudget(options.Value.MaxReplyBytes);
        var pageRows = pageBudget.Take(result.Items, out _);
        return FrameReply.Ack(Type, new JsonObject
        {
            ["conv_id"] = convId,
            ["current_page"] = page,
            ["per_page"] = size,
            ["total"] = result.Total,
            ["last_page"] = Paging.LastPage(result.Total, size),
            ["messages"] = pageRows,
            ["truncated"] = pageBudget.Truncated,
        });
    }
}
