using System.Text.Json;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Calls;

/// <summary>
/// Typed reads of seed 001 call payloads. Every failure is code 400 (seed 001 mirrors HTTP below 1000), with a
/// Spring-style "Field error" message like the Java server the seed describes.
/// </summary>
internal static class CallFields
{
    /// <summary>A string field; null when absent or JSON null; 400 when it is another JSON type.</summary>
    public static string? OptionalString(JsonElement body, string name)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw FieldError(name, value.GetRawText(), "must be a string");
        return value.GetString();
    }

    /// <summary>A user id given as a string or a number (JS clients often send numeric ids).</summary>
    public static string? OptionalUserId(JsonElement body, string name)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw FieldError(name, value.GetRawText(), "must be a string user id"),
        };
    }

    /// <summary>The callId every call frame carries: required, 1–100 characters.</summary>
    public static string RequiredCallId(JsonElement body)
    {
        var callId = OptionalString(body, "callId");
        if (string.IsNullOrWhiteSpace(callId)) throw FieldError("callId", callId, "must not be blank");
        if (callId.Length > CallLimits.MaxCallIdLength)
            throw FieldError("callId", callId, $"length must be between 1 and {CallLimits.MaxCallIdLength}");
        return callId;
    }

    /// <summary>The body must be a JSON object (an absent body is handled by the caller).</summary>
    public static void RequireObject(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ImException(ImErrorCodes.CallBadRequest, "The request body must be a JSON object.");
    }

    public static ImException FieldError(string field, string? rejected, string reason) =>
        new(ImErrorCodes.CallBadRequest,
            $"Field error in object 'message' on field '{field}': rejected value [{Shorten(rejected) ?? "null"}]; default message [{reason}]");

    private static string? Shorten(string? value) => value is { Length: > 120 } ? value[..120] + "…" : value;
}
