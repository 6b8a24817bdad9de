using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Http;

/// <summary>
/// Seed 003 conversation and member endpoints. These are server-side (app-credential) calls, so grain calls
/// pass a null requesterId (trusted caller).
/// </summary>
public sealed class ConversationEndpoints(IGrainFactory grains, AppCredentials app, IOptions<GatewayOptions> options)
{
    public const int DefaultQuerySize = 20;
    public const int MaxIdsPerRequest = 200;

    private int MaxBody => options.Value.MaxRequestBodyBytes;

    /// <summary>POST /im/conversations</summary>
    public async Task<JsonNode?> CreateAsync(HttpContext context)
    {
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, MaxBody, context.RequestAborted);
        var creator = JsonFields.RequiredUserId(body, "client_id");
        if (!JsonFields.TryGet(body, "conv_type", out _)) throw JsonFields.Missing("conv_type");
        int type;
        try
        {
            type = JsonFields.RequiredInt(body, "conv_type");
        }
        catch (ImException e) when (e.Code == ImErrorCodes.InvalidParameter)
        {
            throw new ImException(ImErrorCodes.InvalidConversationType, "conv_type must be 1 (private), 2 (temporary), 3 (group) or 4 (chatroom).");
        }
        if (!ConversationTypes.IsValid(type))
            throw new ImException(ImErrorCodes.InvalidConversationType, "conv_type must be 1 (private), 2 (temporary), 3 (group) or 4 (chatroom).");
        // A chatroom has no persisted members (clients enter it over the socket): to_client_ids may be left out, and is ignored.
        var to = (type == ConversationTypes.Chatroom
                ? JsonFields.OptionalUserIdArray(body, "to_client_ids", MaxIdsPerRequest) ?? []
                : JsonFields.RequiredUserIdArray(body, "to_client_ids", MaxIdsPerRequest))
            .Where(id => id != creator).ToList();
        var extend = JsonFields.OptionalRawObject(body, "conv_extend", MessageLimits.MaxAttrLength);

        string convId;
        if (type == ConversationTypes.Private)
        {
            if (to.Count != 1) throw new ImException(ImErrorCodes.InvalidParameter, "A private conversation has exactly one other member in to_client_ids.");
            convId = ConversationIds.ForPrivate(app.AppId, creator, to[0]);
        }
        else
        {
            convId = ConversationIds.NewId();
        }

        await BannedUsers.RefuseAsync(grains, creator);
        var info = await grains.GetGrain<IConversationGrain>(convId)
            .Create(new CreateConversationRequest(app.AppId, creator, to, type, extend));
        return new JsonObject { ["conv_extend"] = MessageJson.RawToNode(info.ConvExtend), ["conv_id"] = info.ConvId };
    }

    /// <summary>GET /im/conversations?where=[[field,op,value],…]&amp;page=1&amp;size=20</summary>
    public async Task<JsonNode?> QueryAsync(HttpContext context)
    {
        var whereText = QueryParameters.OptionalString(context.Request, "where");
        var page = Paging.Page(QueryParameters.OptionalInt(context.Request, "page"));
        var size = Paging.Size(QueryParameters.OptionalInt(context.Request, "size"), DefaultQuerySize);

        // Also accept the parameters in a JSON body, like the message list (seed 003's curl examples mix both styles).
        if (whereText is null && context.Request.ContentLength is > 0)
        {
            var body = await RequestBodyReader.ReadObjectAsync(context.Request, MaxBody, context.RequestAborted);
            if (JsonFields.TryGet(body, "where", out var whereElement))
            {
                whereText = whereElement.ValueKind == JsonValueKind.String ? whereElement.GetString() : whereElement.GetRawText();
            }
            if (!context.Request.Query.ContainsKey("page")) page = Paging.Page(JsonFields.OptionalInt(body, "page"));
            if (!context.Request.Query.ContainsKey("size")) size = Paging.Size(JsonFields.OptionalInt(body, "size"), DefaultQuerySize);
        }

        if (whereText is null) throw JsonFields.Missing("where");
        var filters = WhereClauseParser.Parse(whereText);
        var result = await grains.GetGrain<IConversationDirectoryGrain>(app.AppId).Query(new ConversationQuery(filters, page, size));
        return new JsonObject
        {
            ["current_page"] = page,
            ["data"] = new JsonArray(result.Items.Select(i => (JsonNode)ConversationJson.ToRow(i)).ToArray()),
            ["last_page"] = Paging.LastPage(result.Total, size),
            ["per_page"] = size,
            ["total"] = result.Total,
        };
    }

    /// <summary>PUT /im/conversations {where:[["conv_id","=",id]], update:{conv_extend:{…}}} — only conv_extend, only by conv_id (seed 003).</summary>
    public async Task<JsonNode?> UpdateAsync(HttpContext context)
    {
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, MaxBody, context.RequestAborted);
        if (!JsonFields.TryGet(body, "where", out var whereElement)) throw JsonFields.Missing("where");
        if (!JsonFields.TryGet(body, "update", out var update)) throw JsonFields.Missing("update");
        if (update.ValueKind != JsonValueKind.Object) throw JsonFields.WrongType("update", "an object");

        var filters = WhereClauseParser.Parse(whereElement);
        if (filters.Count != 1 || filters[0] is not { Field: "conv_id", Op: "=" } || !ConversationIds.IsValid(filters[0].Values[0]))
            throw new ImException(ImErrorCodes.InvalidParameter, "Updates select exactly one conversation: where [[\"conv_id\",\"=\",id]].");
        if (!update.TryGetProperty("conv_extend", out var extendElement)) throw JsonFields.Missing("update.conv_extend");
        if (extendElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            throw JsonFields.WrongType("update.conv_extend", "a JSON object or null");
        var extend = extendElement.ValueKind == JsonValueKind.Null ? null : extendElement.GetRawText();
        if (extend is { Length: > MessageLimits.MaxAttrLength })
            throw new ImException(ImErrorCodes.LimitExceeded, $"conv_extend is larger than {MessageLimits.MaxAttrLength} characters.");

        await grains.GetGrain<IConversationGrain>(filters[0].Values[0]).UpdateExtend(extend);
        return JsonValue.Create(true);
    }

    /// <summary>DELETE /im/conversations/{conv_id}</summary>
    public async Task<JsonNode?> DeleteAsync(HttpContext context)
    {
        await Conversation(context).Delete();
        return JsonValue.Create(true);
    }

    /// <summary>POST /im/conversations/{conv_id}/members {client_ids:[…]}</summary>
    public async Task<JsonNode?> AddMembersAsync(HttpContext context)
    {
        var conversation = Conversation(context);
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, MaxBody, context.RequestAborted);
        var ids = JsonFields.RequiredUserIdArray(body, "client_ids", MaxIdsPerRequest);
        if (ids.Count == 0) throw JsonFields.Missing("client_ids");
        await conversation.AddMembers(ids);
        return JsonValue.Create(true);
    }

    /// <summary>GET /im/conversations/{conv_id}/members</summary>
    public async Task<JsonNode?> GetMembersAsync(HttpContext context)
    {
        var members = await Conversation(context).GetMembers(null);
        return new JsonArray(members.Select(m => (JsonNode)m!).ToArray());
    }

    private IConversationGrain Conversation(HttpContext context) => grains.GetGrain<IConversationGrain>(RouteConversationId(context));

    public static string RouteConversationId(HttpContext context)
    {
        var id = context.Request.RouteValues["conv_id"] as string;
        if (!ConversationIds.IsValid(id)) throw new ImException(ImErrorCodes.InvalidParameter, "The conversation id in the path is not valid.");
        return id!;
    }
}
