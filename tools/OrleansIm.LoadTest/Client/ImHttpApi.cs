using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrleansIm.LoadTest.Client;

/// <summary>
/// The server API the scenarios need (docs/protocol.md §§ 1–2): login with <c>X-App-Key</c>, conversations with
/// <c>app-id</c>/<c>app-key</c>. A 429 is waited out (its <c>Retry-After</c>) and retried, and counted.
/// </summary>
public sealed class ImHttpApi(string[] gateways, string appId, string appKey) : IDisposable
{
    private const int MaxIdsPerRequest = 200;

    private readonly HttpClient[] _clients = gateways.Select(g => new HttpClient { BaseAddress = new Uri(g), Timeout = TimeSpan.FromSeconds(60) }).ToArray();
    private long _rateLimited;

    /// <summary>Requests answered 429 so far (each was retried after its Retry-After).</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Logs <paramref name="userId"/> in (creating it) through gateway <paramref name="gateway"/> (modulo the count); returns its token.</summary>
    public async Task<string> LoginAsync(string userId, int gateway = 0)
    {
        var body = await SendAsync(gateway, HttpMethod.Post, "/openapi/v1/user/login", new { id = userId, nickname = userId, device = "im_web" },
            ("X-App-Key", appKey));
        return body["data"]?["token"]?.GetValue<string>() ?? throw new InvalidOperationException($"login of {userId} failed: {body.ToJsonString()}");
    }

    /// <summary>Creates a conversation (1 private, 3 group) of <paramref name="creator"/> and <paramref name="others"/>; returns its id.</summary>
    public async Task<string> CreateConversationAsync(string creator, IReadOnlyList<string> others, int convType)
    {
        var first = others.Take(MaxIdsPerRequest).ToArray();
        var body = await SendAsync(0, HttpMethod.Post, "/im/conversations", new { client_id = creator, to_client_ids = first, conv_type = convType },
            ("app-id", appId), ("app-key", appKey));
        var convId = body["data"]?["conv_id"]?.GetValue<string>() ?? throw new InvalidOperationException($"creating a conversation failed: {body.ToJsonString()}");
        foreach (var chunk in others.Skip(MaxIdsPerRequest).Chunk(MaxIdsPerRequest))
            await SendAsync(0, HttpMethod.Post, $"/im/conversations/{convId}/members", new { client_ids = chunk }, ("app-id", appId), ("app-key", appKey));
        return convId;
    }

    private async Task<JsonNode> SendAsync(int gateway, HttpMethod method, string path, object body, params (string Name, string Value)[] headers)
    {
        var client = _clients[gateway % _clients.Length];
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 50)
            {
                Interlocked.Increment(ref _rateLimited);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }
            var text = await response.Content.ReadAsStringAsync();
            var node = JsonNode.Parse(text) ?? throw new InvalidOperationException($"{path}: empty answer, HTTP {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: HTTP {(int)response.StatusCode} {text}");
            return node;
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
    }
}
