using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansIm.Gateway.Protocol;

/// <summary>One serializer setting for every reply: non-ASCII text (Chinese nicknames, messages) is sent as-is, not \uXXXX-escaped.</summary>
public static class GatewayJson
{
    // Relaxed escaping is safe here: replies are JSON documents and frames, never embedded in HTML.
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToUtf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);
}
