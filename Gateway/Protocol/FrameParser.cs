using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>
/// Parses a text frame {"type":..,"id":..,"data":{..}}; throws <see cref="FrameParseException"/> (4406/4001) on bad input,
/// including a key that appears twice in one object (4406).
/// </summary>
public static class FrameParser
{
    // A key named twice in one object is refused anywhere in a frame: which copy counts would be up to the parser, and
    // repeated keys were a way to multiply a reply (msg.sync cursors).
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowDuplicateProperties = false };
    private static readonly JsonDocumentOptions Lenient = new() { MaxDepth = 32 };

    public static IncomingFrame Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument doc;
        try
        {
            doc = ClientJson.Parse(utf8, Options);
        }
        catch (JsonException)
        {
            throw DuplicateKeyError(utf8) ?? new FrameParseException(ImErrorCodes.InvalidParameter, "Malformed JSON.", null);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FrameParseException(ImErrorCodes.InvalidParameter, "A frame must be a JSON object.", null);

            JsonNode? id = null;
            if (root.TryGetProperty("id", out var idElement))
            {
                // Only scalars correlate sensibly; anything else is echoed as null with an error.
                if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                    throw new FrameParseException(ImErrorCodes.InvalidParameter, "'id' must be a string or a number.", null);
                id = JsonNode.Parse(idElement.GetRawText());
            }

            if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind == JsonValueKind.Null)
                throw new FrameParseException(ImErrorCodes.MissingParameter, "Missing required field 'type'.", id);
            if (typeElement.ValueKind != JsonValueKind.String)
                throw new FrameParseException(ImErrorCodes.InvalidParameter, "'type' must be a string.", id);

            JsonElement data;
            if (!root.TryGetProperty("data", out var dataElement) || dataElement.ValueKind == JsonValueKind.Null)
            {
                data = EmptyObject();
            }
            else if (dataElement.ValueKind == JsonValueKind.Object)
            {
                data = dataElement.Clone();
            }
            else
            {
                throw new FrameParseException(ImErrorCodes.InvalidParameter, "'data' must be a JSON object.", id);
            }

            return new IncomingFrame(typeElement.GetString()!, id, data);
        }
    }

    /// <summary>The frame's id for a reply to a frame that is not handled (rate limited); null when it has none or cannot be parsed.</summary>
    public static JsonNode? TryReadId(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            return Parse(utf8).Id;
        }
        catch (FrameParseException e)
        {
            return e.Id;
        }
    }

    /// <summary>The error for a frame that is well-formed but repeats a key, echoing its id; null for malformed JSON (error path only).</summary>
    private static FrameParseException? DuplicateKeyError(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var doc = ClientJson.Parse(utf8, Lenient); // its strings must decode too: the id is echoed
            var root = doc.RootElement;
            if (DuplicateKey(root) is not { } key) return null;
            JsonNode? id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var idElement)
                && idElement.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? JsonNode.Parse(idElement.GetRawText())
                : null;
            return new FrameParseException(ImErrorCodes.InvalidParameter, $"Key '{Truncate(key)}' appears more than once in one object.", id);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? DuplicateKey(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!seen.Add(property.Name)) return property.Name;
                    if (DuplicateKey(property.Value) is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (DuplicateKey(item) is { } inner) return inner;
                }
                return null;
            default:
                return null;
        }
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

    private static JsonElement EmptyObject()
    {
        using var doc = JsonDocument.Parse("{}");
        return doc.RootElement.Clone();
    }
}
