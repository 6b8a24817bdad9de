using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansIm.Gateway.Protocol;

/// <summary>A parsed client frame: its type, its correlation id (echoed verbatim; may be null) and its data object.</summary>
public sealed record IncomingFrame(string Type, JsonNode? Id, JsonElement Data);
