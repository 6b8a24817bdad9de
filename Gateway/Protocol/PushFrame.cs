using System.Text.Json.Nodes;

namespace OrleansIm.Gateway.Protocol;

/// <summary>A server frame without an id (<c>{"type","data"}</c>) that a handler sends ahead of its reply, e.g. the login sync's <c>sessions</c>.</summary>
public sealed record PushFrame(string Type, JsonObject Data);
