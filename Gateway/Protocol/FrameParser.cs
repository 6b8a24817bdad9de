using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>Parses a text frame {"type":..,"id":..,"data":{..}}; throws <see cref="FrameParseException"/> (4406/4001) on bad input.</summary>
public static class FrameParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static IncomingFrame Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument doc;
        try
        {
            doc = ClientJson.Parse(utf8, Options);
        }
        catch (JsonException)
        {
            throw new FrameParseException(ImErrorCodes.InvalidParameter, "Malformed JSON.", null);
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

    private static JsonElement EmptyObject()
    {
        using var doc = JsonDocument.Parse("{}");
        return doc.RootElement.Clone();
    }
}
