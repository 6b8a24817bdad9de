using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using OrleansIm.Tests.Stomp;
using Xunit;

namespace OrleansIm.Tests.Auth;

/// <summary>Static tokens (authType 0) refreshed and revoked through the server API, over real sockets of both dialects.</summary>
public sealed class StaticTokenTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Refresh_returns_a_token_that_connects_and_the_old_one_gets_401_while_live_connections_stay()
    {
        var user = NodeFixture.NewUserId("tk");
        var oldToken = await Node.LoginAsync(user);
        await using var live = await Node.ConnectAsync(oldToken, "im_pc_mac");

        var newToken = await RefreshAsync(user);
        Assert.NotEqual(oldToken, newToken);

        Assert.Equal((HttpStatusCode.Unauthorized, 4011), await Handshake.RefusalAsync(Node, ("token", oldToken), ("deviceType", "im_web")));
        await using var fresh = await Node.ConnectAsync(newToken, "im_web");
        await fresh.PingAsync();
        await live.PingAsync(); // a token is checked when connecting (seed 002): the refresh leaves this one alone

        // A second refresh retires the first refreshed token too.
        var newest = await RefreshAsync(user);
        Assert.Equal(HttpStatusCode.Unauthorized, await Node.FailedHandshakeStatusAsync(newToken, "im_app_ios"));
        await using var third = await Node.ConnectAsync(newest, "im_app_ios");
        await third.PingAsync();
    }

    [Fact]
    public async Task A_new_login_after_a_refresh_hands_out_a_current_token()
    {
        var user = NodeFixture.NewUserId("tk");
        await Node.LoginAsync(user);
        await RefreshAsync(user);
        var relogin = await Node.LoginAsync(user);
        await using var socket = await Node.ConnectAsync(relogin, "im_web");
        await socket.PingAsync();
    }

    [Fact]
    public async Task Revoke_all_kicks_every_live_connection_with_4401_and_refuses_the_old_tokens()
    {
        var user = NodeFixture.NewUserId("tk");
        var token = await Node.LoginAsync(user);
        await using var web = await Node.ConnectAsync(token, "im_web");
        await using var stomp = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={user}", "v12.stomp");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(token, "im_pc_win")).Command);

        var (status, body) = await ServerApiAsync("/openapi/v1/user/token/revoke", new { id = user });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("data").GetProperty("revoked").GetBoolean());

        var kicked = await web.WaitForTypeAsync("kicked");
        Assert.Equal("revoked", kicked.GetProperty("data").GetProperty("reason").GetString());
        var logout = await web.WaitForTypeAsync("logout.kick");
        Assert.Equal("revoked", logout.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal((WebSocketCloseStatus)4401, await web.WaitClosedAsync());

        var error = await stomp.NextAsync();
        Assert.Equal(("ERROR", "logout.kick", "revoked"), (error.Command, error["message"], error["reason"]));
        Assert.Equal((WebSocketCloseStatus)4401, await stomp.WaitClosedAsync());

        Assert.Equal((HttpStatusCode.Unauthorized, 4011), await Handshake.RefusalAsync(Node, ("token", token), ("deviceType", "im_web")));
        await using var again = await StompTestClient.OpenAsync(Node.BaseUri, $"userId={user}", "v12.stomp");
        var refused = await again.ConnectAsync(token, "im_pc_win");
        Assert.Equal(("ERROR", "4011"), (refused.Command, refused["code"]));

        // Logging in again gives a token of the new generation.
        await using var back = await Node.ConnectAsync(await Node.LoginAsync(user), "im_web");
        await back.PingAsync();
    }

    [Fact]
    public async Task The_call_api_refuses_a_refreshed_token()
    {
        var user = NodeFixture.NewUserId("tk");
        var oldToken = await Node.LoginAsync(user);
        var newToken = await RefreshAsync(user);
        const string path = "/imserver/turn/get-turn-credentials";

        var (oldStatus, oldBody) = await Node.SendAsync(HttpMethod.Get, path, null, [("ide", oldToken)]);
        Assert.Equal((HttpStatusCode.Unauthorized, 401), (oldStatus, oldBody.GetProperty("code").GetInt32()));
        var (newStatus, newBody) = await Node.SendAsync(HttpMethod.Get, path, null, [("ide", newToken)]);
        Assert.NotEqual(401, newBody.GetProperty("code").GetInt32());
        Assert.NotEqual(HttpStatusCode.Unauthorized, newStatus);
    }

    [Fact]
    public async Task Token_api_needs_the_app_key_and_a_known_user()
    {
        var (status, _) = await Node.SendAsync(HttpMethod.Post, "/openapi/v1/user/token/refresh", JsonSerializer.Serialize(new { id = "x" }), [("X-App-Key", "wrong-key-123")]);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var (unknown, body) = await ServerApiAsync("/openapi/v1/user/token/revoke", new { id = NodeFixture.NewUserId("nobody") });
        Assert.Equal((HttpStatusCode.NotFound, 211), (unknown, body.GetProperty("code").GetInt32()));
        var (missing, missingBody) = await ServerApiAsync("/openapi/v1/user/token/refresh", new { });
        Assert.Equal((HttpStatusCode.BadRequest, 4001), (missing, missingBody.GetProperty("code").GetInt32()));
    }

    private async Task<string> RefreshAsync(string user)
    {
        var (status, body) = await ServerApiAsync("/openapi/v1/user/token/refresh", new { id = user });
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("data").GetProperty("token").GetString()!;
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> ServerApiAsync(string path, object body) =>
        Node.SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body), [("X-App-Key", TestNode.AppKey)]);
}
