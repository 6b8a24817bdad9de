using System.Text.Json.Nodes;

namespace OrleansIm.Fuzz;

/// <summary>Random JSON values of every type, biased towards the edges: empty, huge, wrong-typed, odd Unicode.</summary>
public static class RandomJson
{
    private static readonly string[] Strings =
    [
        "", " ", "a", "0", "1", "-1", "1e3", "true", "null", "[]", "{}", "VIDEO", "ACCEPT", "OFFER", "im_web",
        "张三🙂", "\u0000", "a\u0000b", "\ud800", "\udfff", "\u202e", "../../etc/passwd", "<script>", "%00", "' OR 1=1 --",
        "Bearer x", "Bearer ", "\t\r\n", "\\", "\"", "ÿ", "00000000000000000000000000000000",
    ];

    public static JsonNode? Value(Random random, int depth = 0)
    {
        switch (random.Next(depth > 2 ? 4 : 6))
        {
            case 0: return String(random);
            case 1: return Number(random);
            case 2: return random.Next(3) == 0 ? null : JsonValue.Create(random.Next(2) == 0);
            case 3: return random.Next(2) == 0 ? new JsonArray() : new JsonObject();
            case 4:
                var array = new JsonArray();
                for (var i = random.Next(5); i > 0; i--) array.Add(Value(random, depth + 1));
                return array;
            default:
                var obj = new JsonObject();
                for (var i = random.Next(5); i > 0; i--) obj[Name(random)] = Value(random, depth + 1);
                return obj;
        }
    }

    public static JsonNode String(Random random) => random.Next(8) switch
    {
        0 => JsonValue.Create(new string('x', random.Next(2) == 0 ? 5001 : random.Next(60, 9000)))!,
        1 => JsonValue.Create(new string((char)random.Next(0x20, 0xD7FF), random.Next(1, 100)))!,
        2 => JsonValue.Create(Guid.NewGuid().ToString("N"))!,
        _ => JsonValue.Create(Strings[random.Next(Strings.Length)])!,
    };

    public static JsonNode Number(Random random) => random.Next(14) switch
    {
        0 => JsonValue.Create(0),
        1 => JsonValue.Create(-1),
        2 => JsonValue.Create(int.MaxValue),
        3 => JsonValue.Create(long.MaxValue),
        4 => JsonValue.Create(long.MinValue),
        5 => JsonValue.Create(1.5),
        6 => JsonValue.Create(1e308),
        7 => JsonValue.Create(-1e-308),
        8 => JsonValue.Create(decimal.MaxValue),
        9 => JsonValue.Create(9007199254740993L),
        10 => JsonValue.Create(ulong.MaxValue),
        11 => JsonValue.Create(int.MinValue),
        _ => JsonValue.Create(random.Next(-5, 300)),
    };

    public static string Name(Random random) => random.Next(6) switch
    {
        0 => "",
        1 => "__proto__",
        2 => new string('k', random.Next(1, 300)),
        3 => "type",
        4 => "id",
        _ => "x" + random.Next(100),
    };
}
