using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Http;

/// <summary>
/// Seed 003-style server API (app-id/app-key) for recall and the per-user deletes. The server API recalls any message
/// at any time (no sender check, no window); the per-user deletes act for <c>client_id</c>, who must be a member.
/// </summary>
public sealed class MessageEditEndpoints(IGrainFactory grains, IOptions<GatewayOptions> options)
{
    /// <summary>POST /im/conversations/{conv_id}/message/recall — body {"seq"} or {"msg_id"}.</summary>
    public async Task<JsonNode?> RecallAsync(HttpContext context)
    {
        var convId = ConversationEndpoints.RouteConversationId(context);
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
        var (seq, msgId) = MessageEditFields.RequiredMessage(body);
        var recalled = await grains.GetGrain<IConversationGrain>(convId).Recall(null, seq, msgId, null);
        return MessageEditJson.Recalled(recalled);
    }

    /// <summary>POST /im/conversations/{conv_id}/message/delete_self — body {"client_id", "seqs", "msg_ids"}.</summary>
    public async Task<JsonNode?> DeleteForSelfAsync(HttpContext context)
    {
        var convId = ConversationEndpoints.RouteConversationId(context);
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
        var clientId = JsonFields.RequiredUserId(body, "client_id");
        var (seqs, msgIds) = MessageEditFields.RequiredMessageList(body);
        var hidden = await grains.GetGrain<IConversationGrain>(convId).DeleteForSelf(clientId, seqs, msgIds, null);
        return MessageEditJson.DeletedForSelf(convId, hidden);
    }

    /// <summary>POST /im/conversations/{conv_id}/message/clear_history — body {"client_id"}.</summary>
    public async Task<JsonNode?> ClearHistoryForSelfAsync(HttpContext context)
    {
        var convId = ConversationEndpoints.RouteConversationId(context);
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
        var clientId = JsonFields.RequiredUserId(body, "client_id");
        var cleared = await grains.GetGrain<IConversationGrain>(convId).ClearHistoryForSelf(clientId, null);
        return MessageEditJson.ClearedForSelf(convId, cleared);
    }
}
