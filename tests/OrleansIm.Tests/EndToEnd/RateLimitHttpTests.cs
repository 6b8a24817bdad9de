using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using OrleansIm.Gateway.Stomp;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// Gateway:RateLimits on HTTP over real sockets: the app-key server API per address and per app key, WebSocket upgrades
/// per address. Limits refill at 1 token/s and each test sends many more requests than the burst, so the outcome does
/// not depend on how fast the machine is.
/// </summary>
public sealed class RateLimitHttpTests
{
    private const int Attempts = 30;

    [Fact]
    public async Task Logins_from_one_address_past_the_limit_get_429_with_retry_after_in_the_seed_000_envelope()
    {
        await using var node = await TestNode.StartAsync(RateLimitSettings.Only(("ServerApiPerAddress", 3, 1)));

        var refused = await FirstRefusalAsync(() => LoginRequest(TestNode.AppKey), node);

        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.True(refused.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
        var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, body.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("msg").GetString()));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task The_rest_api_past_the_address_limit_answers_4290_in_the_seed_003_envelope()
    {
        await using var node = await TestNode.StartAsync(RateLimitSettings.Only(("ServerApiPerAddress", 3, 1)));

        var refused = await FirstRefusalAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/im/conversations?page=1&size=1");
            request.Headers.Add("app-id", TestNode.AppId);
            request.Headers.Add("app-key", TestNode.AppKey);
            request.Headers.Add("request-id", "rq-1");
            return request;
        }, node);

        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(4290, body.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Equal("rq-1", body.GetProperty("request-id").GetString());
    }

    [Fact]
    public async Task Wrong_app_keys_share_one_bucket_and_never_use_up_the_apps_own()
    {
        await using var node = await TestNode.StartAsync(RateLimitSettings.Only(("ServerApiPerAppKey", 3, 1)));

        // Guesses (each a different wrong key) run out together…
        var guess = 0;
        var refused = await FirstRefusalAsync(() => LoginRequest("wrong-key-" + Interlocked.Increment(ref guess)), node);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);

        // …while the right key still logs in.
        var (status, _) = await node.PostLoginAsync(new { id = NodeFixture.NewUserId("app"), nickname = "a" });
        Assert.Equal(HttpStatusCode.OK, status);

        // The wrong-key bucket refills: after the Retry-After a guess is answered again (401, not 429).
        for (var attempt = 0; ; attempt++)
        {
            await Task.Delay(refused.Headers.RetryAfter!.Delta!.Value);
            using var request = LoginRequest("wrong-key-again");
            refused = await node.Http.SendAsync(request);
            if (refused.StatusCode == HttpStatusCode.Unauthorized) break;
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(attempt < 10, "still refused after 10 waits of Retry-After");
        }
    }

    [Fact]
    public async Task Loopback_is_exempt_from_per_address_limits_by_default()
    {
        var settings = RateLimitSettings.Only(("ServerApiPerAddress", 1, 1), ("ConnectionsPerAddress", 1, 1));
        settings.Remove($"{RateLimitSettings.Section}:ExemptLoopback");
        await using var node = await TestNode.StartAsync(settings);

        var token = await node.LoginAsync(NodeFixture.NewUserId("lo"));
        for (var i = 0; i < 5; i++)
        {
            var (status, _) = await node.PostLoginAsync(new { id = NodeFixture.NewUserId("lo"), nickname = "x" });
            Assert.Equal(HttpStatusCode.OK, status);
            await using var socket = await node.ConnectAsync(token, "im_web");
            await socket.PingAsync();
        }
    }

    [Fact]
    public async Task Socket_upgrades_from_one_address_past_the_limit_get_429_on_ws_and_on_stomp()
    {
        await using var node = await TestNode.StartAsync(RateLimitSettings.Only(("ConnectionsPerAddress", 2, 1)));
        var token = await node.LoginAsync(NodeFixture.NewUserId("conn"));
        var wsUri = node.WsUri;
        var stompUri = new UriBuilder(node.BaseUri) { Scheme = "ws", Path = StompEndpoint.Path }.Uri;

        var wsRefusal = await FirstRefusedUpgradeAsync(wsUri, token);
        Assert.Equal(HttpStatusCode.TooManyRequests, wsRefusal.Status);
        Assert.True(wsRefusal.RetryAfterSeconds >= 1);

        // The bucket is per address, shared by both endpoints: STOMP is refused too (before the upgrade, as HTTP 429).
        var stompRefusal = await FirstRefusedUpgradeAsync(stompUri, token);
        Assert.Equal(HttpStatusCode.TooManyRequests, stompRefusal.Status);
    }

    private static HttpRequestMessage LoginRequest(string appKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/openapi/v1/user/login")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { id = NodeFixture.NewUserId("rl"), nickname = "r" }), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-App-Key", appKey);
        return request;
    }

    /// <summary>Sends requests until one is refused (bounded); the ones before it must not have failed on the server.</summary>
    private static async Task<HttpResponseMessage> FirstRefusalAsync(Func<HttpRequestMessage> create, TestNode node)
    {
        for (var i = 0; i < Attempts; i++)
        {
            using var request = create();
            var response = await node.Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) return response;
            Assert.True((int)response.StatusCode < 500, $"unexpected {response.StatusCode}");
            response.Dispose();
        }
        throw new InvalidOperationException($"No request of {Attempts} was rate limited.");
    }

    private static async Task<(HttpStatusCode Status, int RetryAfterSeconds)> FirstRefusedUpgradeAsync(Uri uri, string token)
    {
        for (var i = 0; i < Attempts; i++)
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.SetRequestHeader("token", token);
            socket.Options.SetRequestHeader("deviceType", "im_web");
            if (uri.AbsolutePath == StompEndpoint.Path) socket.Options.AddSubProtocol("v12.stomp");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await socket.ConnectAsync(uri, timeout.Token);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (WebSocketException)
            {
                var retryAfter = socket.HttpResponseHeaders?.TryGetValue("Retry-After", out var values) == true ? int.Parse(values.First()) : 0;
                return (socket.HttpStatusCode, retryAfter);
            }
        }
        throw new InvalidOperationException($"No upgrade of {Attempts} was rate limited.");
    }
}
