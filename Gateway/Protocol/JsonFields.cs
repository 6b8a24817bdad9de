using System.Globalization;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>
/// Typed reads of JSON request fields shared by REST bodies and socket frames. A missing (or null) required
/// field is 4001, a field of the wrong type or shape is 4406, a limit is 4013, a bad user id is 212.
/// </summary>
public static class JsonFields
{
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            return true;
        value = default;
        return false;
    }

    public static string RequiredString(JsonElement obj, string name, int maxLength = int.MaxValue) =>
        OptionalString(obj, name, maxLength) ?? throw Missing(name);

    public static string? OptionalString(JsonElement obj, string name, int maxLength = int.MaxValue)
    {
        if (!TryGet(obj, name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) throw WrongType(name, "a string");
        var s = value.GetString()!;
        if (s.Length > maxLength) throw new ImException(ImErrorCodes.LimitExceeded, $"'{name}' is longer than {maxLength} characters.");
        return s;
    }

    /// <summary>A user id given as a string or a number (seed 003's curl sends "from_client":2).</summary>
    public static string RequiredUserId(JsonElement obj, string name) => OptionalUserId(obj, name) ?? throw Missing(name);

    public static string? OptionalUserId(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) ? UserIdFrom(value, name) : null;

    public static string UserIdFrom(JsonElement value, string name)
    {
        var id = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => throw WrongType(name, "a string or number user id"),
        };
        if (!UserIds.IsValid(id)) throw new ImException(ImErrorCodes.InvalidUserId, $"'{name}' is not a valid user id (1-{UserIds.MaxLength} letters, digits, '_' or '-').");
        return id;
    }

    public static IReadOnlyList<string> RequiredUserIdArray(JsonElement obj, string name, int maxCount) =>
        OptionalUserIdArray(obj, name, maxCount) ?? throw Missing(name);

    public static IReadOnlyList<string>? OptionalUserIdArray(JsonElement obj, string name, int maxCount)
    {
        if (!TryGet(obj, name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Array) throw WrongType(name, "an array of user ids");
        if (value.GetArrayLength() > maxCount) throw new ImException(ImErrorCodes.LimitExceeded, $"'{name}' has more than {maxCount} entries.");
        var ids = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var id = UserIdFrom(item, name);
            if (!ids.Contains(id)) ids.Add(id);
        }
        return ids;
    }

    public static string RequiredConversationId(JsonElement obj, string name = "conv_id")
    {
        var id = RequiredString(obj, name, 64);
        if (!ConversationIds.IsValid(id)) throw new ImException(ImErrorCodes.InvalidParameter, $"'{name}' is not a valid conversation id.");
        return id;
    }

    public static int RequiredInt(JsonElement obj, string name) => OptionalInt(obj, name) ?? throw Missing(name);

    public static int? OptionalInt(JsonElement obj, string name)
    {
        var value = OptionalLong(obj, name);
        if (value is null) return null;
        if (value is < int.MinValue or > int.MaxValue) throw WrongType(name, "a 32-bit integer");
        return (int)value.Value;
    }

    /// <summary>An integer; numeric strings are accepted too (query-string style clients send them).</summary>
    public static long? OptionalLong(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)) return n;
        if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)) return n;
        throw WrongType(name, "an integer");
    }

    /// <summary>A seed 003 0/1 flag; also true/false and "0"/"1" (seed 003 itself pushes "transient":"0").</summary>
    public static bool OptionalFlag(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value)) return false;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
            JsonValueKind.String when value.GetString() is "0" or "1" => value.GetString() == "1",
            _ => throw WrongType(name, "0 or 1"),
        };
    }

    /// <summary>Any JSON value kept as raw text (seed 003's "[json]" fields); null when absent or null.</summary>
    public static string? OptionalRawJson(JsonElement obj, string name, int maxLength)
    {
        if (!TryGet(obj, name, out var value)) return null;
        var raw = value.GetRawText();
        if (raw.Length > maxLength) throw new ImException(ImErrorCodes.LimitExceeded, $"'{name}' is larger than {maxLength} characters.");
        return raw;
    }

    /// <summary>A JSON object kept as raw text; null when absent or null.</summary>
    public static string? OptionalRawObject(JsonElement obj, string name, int maxLength)
    {
        if (!TryGet(obj, name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Object) throw WrongType(name, "a JSON object");
        return OptionalRawJson(obj, name, maxLength);
    }

    public static ImException Missing(string name) =>
        new(ImErrorCodes.MissingParameter, $"Missing required parameter '{name}'.");

    public static ImException WrongType(string name, string expected) =>
        new(ImErrorCodes.InvalidParameter, $"'{name}' must be {expected}.");
}
