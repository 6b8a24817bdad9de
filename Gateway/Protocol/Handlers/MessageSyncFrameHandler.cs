using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Auth;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Protocol.Handlers;

/// <summary>
/// msg.sync: resync after a reconnect. data.cursors = {conv_id: last_seen_seq}; for each conversation the
/// messages after that seq, oldest first, at most limit (has_more tells the client to sync again).
/// A conversation the user cannot read gets its own error entry instead of failing the whole frame. A conversation
/// named twice is refused (it would only multiply the reply), and the reply holds at most
/// <see cref="GatewayOptions.MaxSyncMessages"/> messages in all, shared equally among the conversations, and at most
/// <see cref="GatewayOptions.MaxReplyBytes"/> of message bytes (truncated = true when that cut it; has_more says
/// which conversations to sync again).
/// Ids are checked against the conversation index first, in one read: a conversation that does not exist is answered
/// 4003 like one the user is not in (the same entry the grain would give), without activating or reading it.
/// </summary>
public sealed class MessageSyncFrameHandler(IGrainFactory grains, AppCredentials app, IOptions<GatewayOptions> options) : IFrameHandler
{
    public const int DefaultLimit = 100;

    public string Type => "msg.sync";

    public async Task<FrameReply> HandleAsync(ClientSession session, JsonElement data, CancellationToken cancellationToken)
    {
        if (!JsonFields.TryGet(data, "cursors", out var cursors)) throw JsonFields.Missing("cursors");
        if (cursors.ValueKind != JsonValueKind.Object) throw JsonFields.WrongType("cursors", "an object of {conv_id: last_seen_seq}");
        var limit = Paging.Size(JsonFields.OptionalInt(data, "limit"), DefaultLimit, "limit");

        var requests = new List<(string ConvId, long AfterSeq)>();
        foreach (var property in cursors.EnumerateObject())
        {
            // A conversation named twice never gets here: the frame parser refuses a key repeated in one object (4406).
            if (!ConversationIds.IsValid(property.Name)) throw new ImException(ImErrorCodes.InvalidParameter, "cursors has an invalid conversation id.");
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var seq))
                throw JsonFields.WrongType("cursors." + property.Name, "an integer seq");
            requests.Add((property.Name, Math.Max(0, seq)));
        }
        if (requests.Count > options.Value.MaxSyncConversations)
            throw new ImException(ImErrorCodes.LimitExceeded, $"At most {options.Value.MaxSyncConversations} conversations per msg.sync.");

        if (requests.Count > 0) limit = Math.Clamp(options.Value.MaxSyncMessages / requests.Count, 1, limit);
        var existing = await FindExistingAsync(requests.Select(r => r.ConvId).ToList());
        var results = await Task.WhenAll(requests.Select(r => existing.Contains(r.ConvId)
            ? SyncOne(session, r.ConvId, r.AfterSeq, limit)
            : Task.FromResult<(string, IReadOnlyList<ChatMessage>?, ImException?)>((r.ConvId, null, ImException.NotMember(session.UserId, r.ConvId)))));

        // The byte budget is spent in the order the cursors were given.
        var budget = new ReplyBudget(options.Value.MaxReplyBytes);
        var conversations = new JsonArray();
        foreach (var (convId, messages, error) in results)
        {
            if (error is not null)
            {
                conversations.Add(new JsonObject { ["conv_id"] = convId, ["code"] = error.Code, ["msg"] = error.Message });
                continue;
            }
            var rows = budget.Take(messages!, out var cut);
            conversations.Add(new JsonObject
            {
                ["conv_id"] = convId,
                ["messages"] = rows,
                ["has_more"] = cut || messages!.Count == limit,
            });
        }
        return FrameReply.Ack(Type, new JsonObject { ["conversations"] = conversations, ["truncated"] = budget.Truncated });
    }

    private async Task<(string ConvId, IReadOnlyList<ChatMessage>? Messages, ImException? Error)> SyncOne(ClientSession session, string convId, long afterSeq, int limit)
    {
        try
        {
            return (convId, await grains.GetGrainWithCachedType<IConversationGrain>(convId).GetMessagesAfter(session.UserId, afterSeq, limit), null);
        }
        catch (ImException e)
        {
            return (convId, null, e);
        }
    }

    /// <summary>One index read per <see cref="IConversationDirectoryGrain.MaxExistenceCheckIds"/> ids (one in practice: a sync names at most 200).</summary>
    private async Task<HashSet<string>> FindExistingAsync(List<string> convIds)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        if (convIds.Count == 0) return existing;
        var directory = grains.GetGrain<IConversationDirectoryGrain>(app.AppId);
        foreach (var chunk in convIds.Chunk(IConversationDirectoryGrain.MaxExistenceCheckIds))
            existing.UnionWith(await directory.FindExisting(chunk));
        return existing;
    }
}
