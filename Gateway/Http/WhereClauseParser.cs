using System.Text.Json;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Http;

/// <summary>
/// Seed 003's where: a JSON array of [field, op, value] triples, e.g. [["conv_id","=","abc"]]; "in" takes an array.
/// Fields and ops are checked here so a typo is 4406 rather than an internal error in the index.
/// </summary>
public static class WhereClauseParser
{
    public const int MaxConditions = 20;
    public const int MaxInValues = 200;

    private static readonly HashSet<string> Fields = ["conv_id", "conv_type", "conv_creater_id", "ctime", "mtime"];
    private static readonly HashSet<string> Ops = ["=", "!=", "in", ">", ">=", "<", "<="];

    public static IReadOnlyList<ConversationFilter> Parse(string text)
    {
        JsonDocument doc;
        try
        {
            doc = ClientJson.Parse(text);
        }
        catch (JsonException)
        {
            throw new ImException(ImErrorCodes.InvalidParameter, "'where' is not valid JSON.");
        }
        using (doc) return Parse(doc.RootElement);
    }

    public static IReadOnlyList<ConversationFilter> Parse(JsonElement where)
    {
        if (where.ValueKind != JsonValueKind.Array) throw Bad("'where' must be an array of [field, op, value] conditions.");
        if (where.GetArrayLength() > MaxConditions) throw new ImException(ImErrorCodes.LimitExceeded, $"'where' has more than {MaxConditions} conditions.");

        var filters = new List<ConversationFilter>();
        foreach (var condition in where.EnumerateArray())
        {
            if (condition.ValueKind != JsonValueKind.Array || condition.GetArrayLength() != 3)
                throw Bad("Each 'where' condition must be [field, op, value].");
            var field = condition[0].ValueKind == JsonValueKind.String ? condition[0].GetString()! : throw Bad("A 'where' field must be a string.");
            var op = condition[1].ValueKind == JsonValueKind.String ? condition[1].GetString()!.ToLowerInvariant() : throw Bad("A 'where' op must be a string.");
            if (!Fields.Contains(field)) throw Bad($"Unknown 'where' field '{Short(field)}' (allowed: {string.Join(", ", Fields)}).");
            if (!Ops.Contains(op)) throw Bad($"Unknown 'where' op '{Short(op)}' (allowed: {string.Join(" ", Ops)}).");

            var value = condition[2];
            List<string> values;
            if (op == "in")
            {
                if (value.ValueKind != JsonValueKind.Array) throw Bad("'in' needs an array value.");
                if (value.GetArrayLength() > MaxInValues) throw new ImException(ImErrorCodes.LimitExceeded, $"'in' takes at most {MaxInValues} values.");
                values = value.EnumerateArray().Select(Scalar).ToList();
            }
            else
            {
                values = [Scalar(value)];
            }
            filters.Add(new ConversationFilter(field, op, values));
        }
        return filters;
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => throw Bad("A 'where' value must be a string or a number."),
    };

    private static string Short(string s) => s.Length <= 32 ? s : s[..32] + "…";

    private static ImException Bad(string message) => new(ImErrorCodes.InvalidParameter, message);
}
