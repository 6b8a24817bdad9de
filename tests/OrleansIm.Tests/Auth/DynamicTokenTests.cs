using System.Net;
using System.Security.Cryptography;
using System.Text;
using OrleansIm.Tests.EndToEnd;
using OrleansIm.Tests.Stomp;
using Xunit;

namespace OrleansIm.Tests.Auth;

/// <summary>
/// Dynamic tokens (authType 1) on a node with Gateway:AppSecret, computed here the way docs/protocol.md tells an app
/// server to (not with the server's own code): curTime.ttl.hex(HMAC-SHA256(appSecret, appKey:account:curTime:ttl)).
/// </summary>
public sealed class DynamicTokenTests : IAsyncLifetime
{
    private const string AppSecret = "test-app-secret-0123456789";
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:AppSecret"] = AppSecret,
        ["Gateway:DynamicToken:MaxTtl"] = "02:00:00",
        ["Gateway:DynamicToken:ClockSkew"] = "00:01:00",
    });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    /// <summary>The docs' algorithm, written out independently of DynamicTokenService.</summary>
    public static string Compute(string secret, string appKey, string account, long curTime, long ttl)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{appKey}:{account}:{curTime}:{ttl}"));
        return $"{curTime}.{ttl}.{Convert.ToHexString(mac).ToLowerInvariant()}";
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task A_valid_dynamic_token_connects_on_both_dialects()
    {
        var user = NodeFixture.NewUserId("dyn");
        await _node.LoginAsync(user);
        var token = Compute(AppSecret, TestNode.AppKey, user, Now, 600);

        await using var socket = await Handshake.ConnectAsync(_node, ("token", token), ("deviceType", "im_web"), ("authType", "1"), ("account", user));
        await socket.PingAsync();

        await using var stomp = await StompTestClient.OpenAsync(_node.BaseUri, $"userId={user}&deviceType=im_pc_win", "v12.stomp");
        await stomp.SendAsync($"CONNECT\naccept-version:1.2\nauthType:1\nide:{token}\n\n\0"); // account from the query's userId
        var connected = await stomp.NextAsync();
        Assert.Equal(("CONNECTED", user), (connected.Command, connected["user-name"]));
    }

    [Fact]
    public async Task Expired_future_wrong_signature_wrong_account_and_too_long_ttl_get_401()
    {
        var user = NodeFixture.NewUserId("dyn");
        await _node.LoginAsync(user);
        var cases = new[]
        {
            ("expired", Compute(AppSecret, TestNode.AppKey, user, Now - 7200, 600), user),
            ("issued in the future beyond the skew", Compute(AppSecret, TestNode.AppKey, user, Now + 600, 600), user),
            ("wrong secret", Compute("another-secret-0123456789", TestNode.AppKey, user, Now, 600), user),
            ("wrong app key", Compute(AppSecret, "otherKey123", user, Now, 600), user),
            ("another account's token", Compute(AppSecret, TestNode.AppKey, "someone_else", Now, 600), user),
            ("ttl over MaxTtl", Compute(AppSecret, TestNode.AppKey, user, Now, 3 * 3600), user),
            ("malformed", "not-a-dynamic-token", user),
        };
        foreach (var (what, token, account) in cases)
        {
            var refusal = await Handshake.RefusalAsync(_node, ("token", token), ("deviceType", "im_web"), ("authType", "1"), ("account", account));
            Assert.True(refusal == (HttpStatusCode.Unauthorized, 401), $"{what}: {refusal}");
        }
        var noAccount = await Handshake.RefusalAsync(_node, ("token", Compute(AppSecret, TestNode.AppKey, user, Now, 600)), ("deviceType", "im_web"), ("authType", "1"));
        Assert.Equal((HttpStatusCode.Unauthorized, 401), noAccount);
        var badAuthType = await Handshake.RefusalAsync(_node, ("token", "x"), ("deviceType", "im_web"), ("authType", "7"));
        Assert.Equal((HttpStatusCode.Unauthorized, 401), badAuthType);
    }

    [Fact]
    public async Task Clock_skew_is_allowed_at_both_ends_of_the_window()
    {
        var user = NodeFixture.NewUserId("dyn");
        await _node.LoginAsync(user);
        // The app server's clock runs 30 s ahead: curTime is in our future, within the 60 s skew.
        await using var ahead = await Handshake.ConnectAsync(_node, ("token", Compute(AppSecret, TestNode.AppKey, user, Now + 30, 600)), ("deviceType", "im_web"), ("authType", "1"), ("account", user));
        await ahead.PingAsync();
        // Expired 10 s ago by our clock, within the skew.
        await using var late = await Handshake.ConnectAsync(_node, ("token", Compute(AppSecret, TestNode.AppKey, user, Now - 610, 600)), ("deviceType", "im_pc_mac"), ("authType", "1"), ("account", user));
        await late.PingAsync();
    }

    [Fact]
    public async Task A_dynamic_token_for_a_user_who_never_logged_in_is_refused_403()
    {
        var user = NodeFixture.NewUserId("dyn");
        var refusal = await Handshake.RefusalAsync(_node, ("token", Compute(AppSecret, TestNode.AppKey, user, Now, 600)), ("deviceType", "im_web"), ("authType", "1"), ("account", user));
        Assert.Equal((HttpStatusCode.Forbidden, 403), refusal);
    }

    [Fact]
    public async Task Stomp_refuses_an_expired_dynamic_token()
    {
        var user = NodeFixture.NewUserId("dyn");
        await _node.LoginAsync(user);
        await using var stomp = await StompTestClient.OpenAsync(_node.BaseUri, "", "v12.stomp");
        await stomp.SendAsync($"CONNECT\naccept-version:1.2\nauthType:1\naccount:{user}\nide:{Compute(AppSecret, TestNode.AppKey, user, Now - 7200, 600)}\n\n\0");
        var error = await stomp.NextAsync();
        Assert.Equal(("ERROR", "401", "token expired."), (error.Command, error["code"], error["message"]));
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4401, await stomp.WaitClosedAsync());
    }
}
