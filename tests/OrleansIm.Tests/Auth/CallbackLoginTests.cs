using System.Net;
using System.Net.WebSockets;
using OrleansIm.Tests.EndToEnd;
using OrleansIm.Tests.Stomp;
using Xunit;

namespace OrleansIm.Tests.Auth;

/// <summary>Third-party callback login (authType 2) against a real app server on 127.0.0.1 that allows, refuses, hangs or is down.</summary>
public sealed class CallbackLoginTests : IAsyncLifetime
{
    private const string AppSecret = "callback-app-secret-0123456789";
    private FakeAppServer _appServer = null!;
    private TestNode _node = null!;

    public async Task InitializeAsync()
    {
        _appServer = await FakeAppServer.StartAsync(AppSecret);
        _node = await StartNodeAsync(_appServer.Url);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _appServer.DisposeAsync();
    }

    /// <summary>A generous timeout by default (a loaded machine must not turn an allow into a 503); the hang test uses 1 s.</summary>
    private static Task<TestNode> StartNodeAsync(Uri callbackUrl, string timeout = "00:00:15") => TestNode.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:AppSecret"] = AppSecret,
        ["Gateway:AuthCallback:Url"] = callbackUrl.ToString(),
        ["Gateway:AuthCallback:Timeout"] = timeout,
    });

    private static (string, string?)[] Headers(string user, string token, string deviceType = "im_web") =>
        [("token", token), ("deviceType", deviceType), ("authType", "2"), ("account", user)];

    [Fact]
    public async Task An_allowed_login_connects_and_the_app_server_got_a_signed_request_naming_account_token_and_device()
    {
        var user = NodeFixture.NewUserId("cb");
        await _node.LoginAsync(user);
        await using var socket = await Handshake.ConnectAsync(_node, Headers(user, "allow-1", "im_app_android"));
        await socket.PingAsync();

        Assert.Equal(0, _appServer.BadSignatures);
        var request = _appServer.Requests.Single(r => r.GetProperty("account").GetString() == user);
        Assert.Equal(("allow-1", "im_app_android", TestNode.AppKey, 2),
            (request.GetProperty("token").GetString(), request.GetProperty("deviceType").GetString(), request.GetProperty("appKey").GetString(), request.GetProperty("authType").GetInt32()));
    }

    [Fact]
    public async Task A_refused_login_gets_code_302_with_http_401()
    {
        var user = NodeFixture.NewUserId("cb");
        await _node.LoginAsync(user);
        Assert.Equal((HttpStatusCode.Unauthorized, 302), await Handshake.RefusalAsync(_node, Headers(user, "refuse-1")));
        Assert.Equal((HttpStatusCode.Unauthorized, 302), await Handshake.RefusalAsync(_node, Headers(user, "http403")));
    }

    [Fact]
    public async Task A_hanging_or_failing_app_server_gets_503_with_code_5030()
    {
        var user = NodeFixture.NewUserId("cb");
        await _node.LoginAsync(user);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5030), await Handshake.RefusalAsync(_node, Headers(user, "boom")));
        await using var impatient = await StartNodeAsync(_appServer.Url, timeout: "00:00:01");
        await impatient.LoginAsync(user);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5030), await Handshake.RefusalAsync(impatient, Headers(user, "hang")));
    }

    [Fact]
    public async Task An_app_server_that_is_down_gets_503_with_code_5030()
    {
        await using var node = await StartNodeAsync(FakeAppServer.DownUrl());
        var user = NodeFixture.NewUserId("cb");
        await node.LoginAsync(user);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5030), await Handshake.RefusalAsync(node, Headers(user, "allow-1")));
    }

    [Fact]
    public async Task Stomp_connect_is_admitted_or_refused_with_code_302_by_the_app_server()
    {
        var user = NodeFixture.NewUserId("cb");
        await _node.LoginAsync(user);

        await using var allowed = await StompTestClient.OpenAsync(_node.BaseUri, $"userId={user}&deviceType=im_pc_win", "v12.stomp");
        await allowed.SendAsync("CONNECT\naccept-version:1.2\nauthType:2\nide:allow-stomp\n\n\0");
        Assert.Equal("CONNECTED", (await allowed.NextAsync()).Command);

        await using var refused = await StompTestClient.OpenAsync(_node.BaseUri, "", "v12.stomp");
        await refused.SendAsync($"CONNECT\naccept-version:1.2\nauthType:2\naccount:{user}\ndeviceType:im_pc_mac\nide:refuse-stomp\n\n\0");
        var error = await refused.NextAsync();
        Assert.Equal(("ERROR", "302"), (error.Command, error["code"]));
        Assert.Equal((WebSocketCloseStatus)4401, await refused.WaitClosedAsync());
    }
}
