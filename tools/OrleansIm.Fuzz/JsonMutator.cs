using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansIm.Fuzz;

/// <summary>
/// Mutates a valid JSON document: values replaced by other types, fields removed or added, and raw tokens no
/// serializer writes (huge numbers, NaN, bad escapes, deep nesting, unterminated strings) spliced in as text.
/// </summary>
public sealed class JsonMutator(Random random)
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] RawTokens =
    [
        "1e99999", "-1e99999", "123456789012345678901234567890123456789", "NaN", "Infinity", "-Infinity", "-0", "01", "0x1F",
        "1.", ".5", "+1", "1e", "tru", "nul", "\"\\ud800\"", "\"\\udc00\\ud800x\"", "\"\\u0000\"", "\"\\x41\"", "\"\\u12\"",
        "\"unterminated", "[1,2,]", "{\"a\":1,}", "{\"a\" 1}", "'single'", "{\"a\":1,\"a\":2}", "[", "]", "}", "\"\\/\\b\\f\"",
    ];

    private readonly List<string> _raw = [];

    /// <summary>Applies <paramref name="count"/> random mutations to <paramref name="root"/> (changed in place) and returns the text.</summary>
    public string Mutate(JsonNode root, int count)
    {
        _raw.Clear();
        for (var i = 0; i < count; i++) MutateOnce(root);
        var text = root.ToJsonString(Relaxed);
        for (var i = 0; i < _raw.Count; i++) text = text.Replace($"\"@@raw{i}@@\"", _raw[i], StringComparison.Ordinal);
        return text;
    }

    public byte[] MutateToBytes(JsonNode root, int count) => Encoding.UTF8.GetBytes(Mutate(root, count));

    private void MutateOnce(JsonNode root)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        switch (random.Next(6))
        {
            case 0:
            case 1:
                Replace(target, RandomJson.Value(random));
                break;
            case 2:
                Remove(target);
                break;
            case 3:
                var obj = target as JsonObject ?? target.Parent as JsonObject ?? root as JsonObject;
                if (obj is not null) obj[RandomJson.Name(random) + obj.Count] = RandomJson.Value(random);
                break;
            default:
                Replace(target, JsonValue.Create(Raw(RawToken())));
                break;
        }
    }

    private string RawToken() => random.Next(10) switch
    {
        0 => Nest("[", "]", random.Next(2) == 0 ? random.Next(60, 70) : random.Next(100, 5000)),
        1 => Nest("{\"a\":", "}", random.Next(2) == 0 ? random.Next(60, 70) : random.Next(100, 3000)),
        2 => "[" + string.Join(",", Enumerable.Repeat("0", random.Next(200, 20000))) + "]",
        _ => RawTokens[random.Next(RawTokens.Length)],
    };

    private static string Nest(string open, string close, int depth) =>
        new StringBuilder().Insert(0, open, depth).Append('1').Insert(open.Length * depth + 1, close, depth).ToString();

    private string Raw(string token)
    {
        _raw.Add(token);
        return $"@@raw{_raw.Count - 1}@@";
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null) return;
        nodes.Add(node);
        if (node is JsonObject obj) foreach (var (_, child) in obj) Collect(child, nodes);
        else if (node is JsonArray array) foreach (var child in array) Collect(child, nodes);
    }

    private static void Replace(JsonNode target, JsonNode? value)
    {
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = value;
                break;
            case JsonArray parent:
                parent[target.GetElementIndex()] = value;
                break;
        }
    }

    private static void Remove(JsonNode target)
    {
        switch (target.Parent)
        {
            case JsonObject parent:
                parent.Remove(target.GetPropertyName());
                break;
            case JsonArray parent:
                parent.RemoveAt(target.GetElementIndex());
                break;
        }
    }
}
