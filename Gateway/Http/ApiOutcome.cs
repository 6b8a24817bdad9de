using System.Text.Json.Nodes;

namespace OrleansIm.Gateway.Http;

/// <summary>What one HTTP API call produced: the code and message its envelope carries, and its data.</summary>
public readonly record struct ApiOutcome(int Code, string Message, JsonNode? Data);
