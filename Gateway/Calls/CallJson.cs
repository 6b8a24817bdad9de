using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Calls;

/// <summary>The JSON of a <see cref="CallInfo"/> in acks (seed 001 field style: camelCase).</summary>
public static class CallJson
{
    public static JsonObject ToJson(CallInfo info) => new()
    {
        ["callId"] = info.CallId,
        ["type"] = info.Type,
        ["caller"] = info.Caller,
        ["callee"] = info.Callee,
        ["phase"] = info.Phase,
        ["startedAt"] = info.StartedAt,
        ["endReason"] = info.EndReason,
    };
}
