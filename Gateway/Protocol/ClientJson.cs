using System.Text;
using System.Text.Json;

namespace OrleansIm.Gateway.Protocol;

/// <summary>
/// Parses JSON that came from a client. JsonDocument accepts strings that are not valid UTF-8 and escapes that
/// decode to invalid UTF-16 (a lone <c>"\ud800"</c>); reading such a string later throws InvalidOperationException
/// in whichever handler touches it — an internal error instead of 4406, and an <c>id</c> like that cannot even be
/// echoed in the error frame. So the bytes are checked to be UTF-8 and every escaped string and property name is
/// decoded once here; a bad one is a JsonException like any other malformed JSON.
/// </summary>
public static class ClientJson
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options = default)
    {
        EnsureStringsDecode(utf8.Span, options);
        return JsonDocument.Parse(utf8, options);
    }

    public static JsonDocument Parse(string text, JsonDocumentOptions options = default) => Parse(Encoding.UTF8.GetBytes(text), options);

    private static void EnsureStringsDecode(ReadOnlySpan<byte> utf8, JsonDocumentOptions options)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8)) throw new JsonException("The JSON text is not valid UTF-8.");
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.CommentHandling,
            MaxDepth = options.MaxDepth,
        });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException)
            {
                throw new JsonException("A string escapes invalid UTF-16 (an unpaired surrogate).");
            }
        }
    }
}
