using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.sync: resync after a reconnect. data.cursors = {conv_id: last_seen_seq}; for each conversation the
/// messages after that seq, oldest first, at most limit (has_more tells the client to sync again).
/// A conversation the user cannot read gets its own error entry instead of failing the whole frame. A conversation
/// named twice is refused (it would only multiply the reply), and the reply holds at most
/// <see cref="GatewayOptions.MaxSyncMessages"/> messages in all, shared equally among the conversations.
/// </summary>
public sealed class MessageSyncFrameHandler(IGrainFactory grains, IOptions<GatewayOptions> options) : IFrameHandler
{
    public const int DefaultLimit = 100;

    public string Type => "msg.sync";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        if (!JsonFields.TryGet(data, "cursors", out var cursors)) throw JsonFields.Missing("cursors");
        if (cursors.ValueKind != JsonValueKind.Object) throw JsonFields.WrongType("cursors", "an object of {conv_id: last_seen_seq}");
        var limit = Paging.Size(JsonFields.OptionalInt(data, "limit"), DefaultLimit, "limit");

        var requests = new List<(string ConvId, long AfterSeq)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in cursors.EnumerateObject())
        {
            if (!ConversationIds.IsValid(property.Name)) throw new ImException(ImErrorCodes.InvalidParameter, "cursors has an invalid conversation id.");
            if (!seen.Add(property.Name)) throw new ImException(ImErrorCodes.InvalidParameter, $"cursors names conversation '{property.Name}' more than once.");
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var seq))
                throw JsonFields.WrongType("cursors." + property.Name, "an integer seq");
            requests.Add((property.Name, Math.Max(0, seq)));
        }
        if (requests.Count > options.Value.MaxSyncConversations)
            throw new ImException(ImErrorCodes.LimitExceeded, $"At most {options.Value.MaxSyncConversations} conversations per msg.sync.");

        if (requests.Count > 0) limit = Math.Clamp(options.Value.MaxSyncMessages / requests.Count, 1, limit);
        var results = await Task.WhenAll(requests.Select(r => SyncOne(session, r.ConvId, r.AfterSeq, limit)));
        return FrameReply.Ack(Type, new JsonObject { ["conversations"] = new JsonArray(results.Cast<JsonNode>().ToArray()) });
    }

    private async Task<JsonObject> SyncOne(ClientSession session, string convId, long afterSeq, int limit)
    {
        try
        {
            var messages = await grains.GetGrain<IConversationGrain>(convId).GetMessagesAfter(session.UserId, afterSeq, limit);
            return new JsonObject
            {
                ["conv_id"] = convId,
                ["messages"] = MessageJson.ToPushArray(messages),
                ["has_more"] = messages.Count == limit,
            };
        }
        catch (ImException e)
        {
            return new JsonObject { ["conv_id"] = convId, ["code"] = e.Code, ["msg"] = e.Message };
        }
    }
}
