using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Http;

/// <summary>Seed 003 message endpoints: send as from_client (must be a member) and the paged history.</summary>
public sealed class MessageEndpoints(IGrainFactory grains, IOptions<GatewayOptions> options, GatewayMetrics metrics)
{
    public const int DefaultPageSize = 10;

    /// <summary>POST /im/conversations/{conv_id}/message</summary>
    public async Task<JsonNode?> SendAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var convId = ConversationEndpoints.RouteConversationId(context);
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
        var from = JsonFields.RequiredUserId(body, "from_client");
        var request = SendMessageParser.Parse(body, from);
        await BannedUsers.RefuseAsync(grains, from);
        var result = await grains.GetGrainWithCachedType<IConversationGrain>(convId).Send(request);
        metrics.MessageAcknowledged(GatewayMetrics.Rest, started);
        return new JsonObject { ["msg_id"] = result.MsgId, ["time"] = result.Time, ["seq"] = result.Seq };
    }

    /// <summary>
    /// GET /im/conversations/{conv_id}/message — page/size from the query string or, as in seed 003's curl
    /// example, from a JSON body sent with the GET (query wins when both are given). With <c>client_id</c> (ours) the list
    /// is that member's view: without what they deleted or cleared for themselves (4003 if they are not a member).
    /// </summary>
    public async Task<JsonNode?> ListAsync(HttpContext context)
    {
        var convId = ConversationEndpoints.RouteConversationId(context);
        var page = QueryParameters.OptionalInt(context.Request, "page");
        var size = QueryParameters.OptionalInt(context.Request, "size");
        var viewer = QueryParameters.OptionalString(context.Request, "client_id");
        var body = await RequestBodyReader.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
        if (body is { } element)
        {
            if (element.ValueKind != System.Text.Json.JsonValueKind.Object)
                throw new ImException(ImErrorCodes.InvalidParameter, "The request body must be a JSON object.");
            page ??= JsonFields.OptionalInt(element, "page");
            size ??= JsonFields.OptionalInt(element, "size");
            viewer ??= JsonFields.OptionalUserId(element, "client_id");
        }
        if (viewer is not null && !UserIds.IsValid(viewer))
            throw new ImException(ImErrorCodes.InvalidUserId, "'client_id' is not a valid user id.");

        var pageNumber = Paging.Page(page);
        var pageSize = Paging.Size(size, DefaultPageSize);
        var result = await grains.GetGrain<IConversationGrain>(convId).GetHistory(viewer, pageNumber, pageSize);
        return new JsonObject
        {
            ["current_page"] = pageNumber,
            ["data"] = new JsonArray(result.Items.Select(m => (JsonNode)MessageJson.ToHistoryRow(m)).ToArray()),
            ["last_page"] = Paging.LastPage(result.Total, pageSize),
            ["per_page"] = pageSize,
            ["total"] = result.Total,
        };
    }
}
