using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Http;

/// <summary>Reads a JSON request body defensively: malformed JSON is 4406, too large is 4013, never an exception page.</summary>
public static class RequestBodyReader
{
    /// <summary>The body's root element (cloned), or null for an empty body.</summary>
    public static async Task<JsonElement?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return null;

        try
        {
            using var doc = ClientJson.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new ImException(ImErrorCodes.InvalidParameter, "The request body is not valid JSON.");
        }
    }

    /// <summary>A body that must be a JSON object; an empty body reads as {} so missing fields report 4001.</summary>
    public static async Task<JsonElement> ReadObjectAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(request, maxBytes, cancellationToken);
        if (body is null) return EmptyObject();
        if (body.Value.ValueKind != JsonValueKind.Object)
            throw new ImException(ImErrorCodes.InvalidParameter, "The request body must be a JSON object.");
        return body.Value;
    }

    public static JsonElement EmptyObject()
    {
        using var doc = JsonDocument.Parse("{}");
        return doc.RootElement.Clone();
    }

    private static ImException TooLarge(int maxBytes) =>
        new(ImErrorCodes.LimitExceeded, $"The request body is larger than {maxBytes} bytes.");
}
