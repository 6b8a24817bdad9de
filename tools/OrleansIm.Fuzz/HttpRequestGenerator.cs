using System.Text.Json.Nodes;

namespace OrleansIm.Fuzz;

/// <summary>
/// REST requests (docs/protocol.md §1, §2, §8): every mapped endpoint with a valid body and headers, then mutated
/// bodies, content types, headers, query strings, path segments and methods.
/// </summary>
public sealed class HttpRequestGenerator(FuzzContext context)
{
    /// <summary>Server limit on a body (Gateway:MaxRequestBodyBytes default), to go past it.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private static readonly string[] PathSegments =
        ["", "..", "%2e%2e", "%00", "%FF", "%zz", "张三", "a%2Fb", "' OR 1=1 --", "x y", "%20", "-", "_", "00000000000000000000000000000000"];

    private static readonly string[] ContentTypes =
        ["text/plain", "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "a/b/c", "application/json;;", ""];

    private static readonly string[] QueryValues =
        ["", "-1", "0", "abc", "1e9", "99999999999999999999", "%zz", "%00", "%FF", "1.5", "[]", "{}", "null", "%5B%5B%22conv_id%22%5D%5D", "2147483648"];

    public HttpInput Generate(int index, Random random)
    {
        var conv = random.Next(3) == 0 ? context.VictimConversationId : context.ConversationId;
        var user = WsFrameGenerator.Pick(random, context.UserIds);
        var victim = WsFrameGenerator.Pick(random, context.VictimUserIds);
        var seed003 = new List<(string, string)> { ("app-id", context.AppId), ("app-key", context.AppKey) };
        if (random.Next(4) == 0) seed003.Add(("request-id", "req-" + random.Next(1000)));
        (string Method, string Path, List<(string, string)> Headers, JsonNode? Body, Dictionary<string, string>? Query) request = random.Next(17) switch
        {
            0 or 1 => ("POST", "/openapi/v1/user/login", [("X-App-Key", context.AppKey)],
                new JsonObject { ["id"] = victim, ["nickname"] = "N", ["avatar"] = "http://x/a.png", ["device"] = "im_web", ["extras"] = new JsonObject { ["vip"] = true } }, null),
            2 => ("PUT", "/openapi/v1/user/status", [("X-App-Key", context.AppKey)], new JsonObject { ["id"] = victim, ["userStatus"] = random.Next(1, 3) }, null),
            3 => ("POST", "/im/conversations", seed003,
                new JsonObject { ["client_id"] = user, ["to_client_ids"] = new JsonArray(victim), ["conv_type"] = random.Next(1, 5), ["conv_extend"] = new JsonObject { ["n"] = "x" } }, null),
            4 or 5 => ("GET", "/im/conversations", seed003, null,
                new Dictionary<string, string> { ["where"] = $"[[\"conv_id\",\"=\",\"{conv}\"]]", ["page"] = "1", ["size"] = "20" }),
            6 => ("PUT", "/im/conversations", seed003,
                new JsonObject { ["where"] = new JsonArray(new JsonArray("conv_id", "=", context.VictimConversationId)), ["update"] = new JsonObject { ["conv_extend"] = new JsonObject { ["n"] = 1 } } }, null),
            7 => ("DELETE", "/im/conversations/{conv}", seed003, null, null),
            8 => ("POST", "/im/conversations/{conv}/members", seed003, new JsonObject { ["client_ids"] = new JsonArray(victim) }, null),
            9 => ("GET", "/im/conversations/{conv}/members", seed003, null, null),
            10 or 11 => ("POST", "/im/conversations/{conv}/message", seed003,
                new JsonObject
                {
                    ["from_client"] = user, ["type"] = -1, ["text"] = "hi", ["attr"] = new JsonObject(), ["transient"] = "0", ["no_sync"] = 0,
                    ["mention_all"] = false, ["mention_client_ids"] = "[\"" + user + "\"]", ["client_msg_id"] = "h-" + random.Next(1000),
                }, null),
            12 => ("GET", "/im/conversations/{conv}/message", seed003, random.Next(2) == 0 ? new JsonObject { ["page"] = 1, ["size"] = 10 } : null,
                new Dictionary<string, string> { ["page"] = "1", ["size"] = "10" }),
            13 => ("POST", "/imserver/call/request", [("ide", context.VictimToken)],
                new JsonObject { ["callId"] = "fz-h-" + random.Next(1000), ["type"] = "VIDEO", ["callee"] = user, ["callerUserName"] = "A", ["calleeUserName"] = "B" }, null),
            14 => ("POST", "/imserver/call/" + (random.Next(2) == 0 ? "response" : "hangup"), [("ide", context.VictimToken)],
                new JsonObject { ["callId"] = "fz-h-" + random.Next(1000), ["type"] = "ACCEPT" }, null),
            15 => ("GET", "/imserver/turn/get-turn-credentials", [("ide", context.VictimToken)], null, null),
            _ => ("GET", random.Next(2) == 0 ? "/ws" : "/imserver/ws", [], null, null),
        };
        var (method, path, headers, body, query) = request;
        var label = $"{method} {path}";
        byte[]? bytes = null;
        if (body is not null)
        {
            var mutations = random.Next(6) == 0 ? 0 : random.Next(1, 4);
            bytes = new JsonMutator(random).MutateToBytes(body, mutations);
            label += mutations == 0 ? " valid body" : $" body: {mutations} mutation(s)";
            if (random.Next(10) == 0)
            {
                bytes = new ByteMutator(random).Mutate(bytes);
                label += ", bytes damaged";
            }
            if (random.Next(300) == 0)
            {
                bytes = ByteMutator.PadTo(bytes, MaxBodyBytes + random.Next(1, 10_000));
                label += ", oversized";
            }
        }
        else if (random.Next(8) == 0)
        {
            bytes = new ByteMutator(random).RandomBytes(random.Next(0, 50));
            label += ", unexpected body";
        }
        var contentType = bytes is null ? null : random.Next(8) == 0 ? WsFrameGenerator.Pick(random, ContentTypes) : "application/json";

        var headerList = new List<(string Name, string Value)>(headers);
        if (random.Next(5) == 0)
        {
            label += ", headers: " + MutateHeaders(random, headerList);
        }
        path = path.Replace("{conv}", random.Next(8) == 0 ? WeirdSegment(random) : conv, StringComparison.Ordinal);
        if (query is not null && random.Next(2) == 0)
        {
            var key = random.Next(5) == 0 ? "x" + random.Next(3) : query.Keys.ElementAt(random.Next(query.Count));
            query[key] = key == "where" && random.Next(2) == 0
                ? Uri.EscapeDataString(new JsonMutator(random).Mutate(JsonNode.Parse(Uri.UnescapeDataString(query.GetValueOrDefault(key) ?? "[]")) ?? new JsonArray(), 1))
                : WsFrameGenerator.Pick(random, QueryValues);
            label += $", query {key} changed";
        }
        else if (random.Next(20) == 0)
        {
            query ??= [];
            query["where"] = WsFrameGenerator.Pick(random, QueryValues);
            label += ", query added";
        }
        if (query is not null)
        {
            path += "?" + string.Join("&", query.Select(p => $"{p.Key}={(p.Value.Contains('%') ? p.Value : Uri.EscapeDataString(p.Value))}"));
            if (random.Next(20) == 0) path += "&page=2&page=x";
        }
        if (random.Next(40) == 0)
        {
            method = WsFrameGenerator.Pick<string>(random, ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);
            label += $", method {method}";
        }
        return new HttpInput(index, label, method, path, headerList, bytes, contentType);
    }

    private string MutateHeaders(Random random, List<(string Name, string Value)> headers)
    {
        switch (random.Next(6))
        {
            case 0:
                if (headers.Count > 0) headers.RemoveAt(random.Next(headers.Count));
                return "one removed";
            case 1:
                headers.Clear();
                return "all removed";
            case 2:
                for (var i = 0; i < headers.Count; i++) headers[i] = (headers[i].Name, WsFrameGenerator.Pick<string>(random, ["", "x", "keyAbcd12", "Bearer ", "Bearer a.b.c", "\t", new string('k', 5000)]));
                return "values replaced";
            case 3:
                headers.Add(("request-id", new string('r', random.Next(1, 3000))));
                return "long request-id";
            case 4:
                headers.AddRange([("app-id", "1"), ("app-key", context.AppKey), ("X-App-Key", "wrong"), ("ide", "x")]);
                return "conflicting credentials";
            default:
                headers.Add(("X-Big", new string('b', 40 * 1024)));
                return "header past Kestrel's limit";
        }
    }

    private static string WeirdSegment(Random random) =>
        random.Next(6) == 0 ? new string('c', random.Next(65, 5000)) : WsFrameGenerator.Pick(random, PathSegments);
}
