using System.Text.Json;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>
/// Turns seed 003 send fields (REST body or msg.send frame data) into a <see cref="SendMessageRequest"/>,
/// enforcing <see cref="MessageLimits"/>. The sender is decided by the caller, never read here.
/// </summary>
public static class SendMessageParser
{
    public static SendMessageRequest Parse(JsonElement data, string fromClient)
    {
        var type = JsonFields.RequiredInt(data, "type");
        if (!MessageTypes.IsValid(type)) throw new ImException(ImErrorCodes.InvalidParameter, "'type' must be -1 (text) to -6 (file).");

        var text = JsonFields.OptionalString(data, "text", MessageLimits.MaxTextLength);
        // Seed 003: text is optional except for text messages, where it must not be empty.
        if (type == MessageTypes.Text && string.IsNullOrEmpty(text)) throw JsonFields.Missing("text");

        var attr = JsonFields.OptionalRawJson(data, "attr", MessageLimits.MaxAttrLength);
        var url = JsonFields.OptionalString(data, "url", MessageLimits.MaxUrlLength);
        var transient = JsonFields.OptionalFlag(data, "transient");
        var noSync = JsonFields.OptionalFlag(data, "no_sync") ? 1 : 0;
        var mentionAll = JsonFields.OptionalFlag(data, "mention_all");
        var mentions = ParseMentions(data);
        var clientMsgId = JsonFields.OptionalString(data, "client_msg_id", MessageLimits.MaxClientMsgIdLength);
        if (clientMsgId is { Length: 0 }) clientMsgId = null;

        return new SendMessageRequest(fromClient, type, text, attr, url, transient, noSync, mentionAll, mentions, clientMsgId);
    }

    /// <summary>A JSON array of user ids, or a string holding one (seed 003 shows "[json]" fields as strings).</summary>
    private static string? ParseMentions(JsonElement data)
    {
        if (!JsonFields.TryGet(data, "mention_client_ids", out var value)) return null;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (text is "" or "null") return null;
            try
            {
                using var doc = ClientJson.Parse(text);
                return Normalize(doc.RootElement);
            }
            catch (JsonException)
            {
                throw JsonFields.WrongType("mention_client_ids", "an array of user ids");
            }
        }

        return Normalize(value);
    }

    private static string Normalize(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array) throw JsonFields.WrongType("mention_client_ids", "an array of user ids");
        if (array.GetArrayLength() > MessageLimits.MaxMentions)
            throw new ImException(ImErrorCodes.LimitExceeded, $"'mention_client_ids' has more than {MessageLimits.MaxMentions} entries.");
        var ids = array.EnumerateArray().Select(e => JsonFields.UserIdFrom(e, "mention_client_ids")).Distinct().ToList();
        return JsonSerializer.Serialize(ids);
    }
}
