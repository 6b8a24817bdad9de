using System.Net;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

public sealed class LoginEndpointTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Login_returns_seed_000_envelope_with_bearer_token()
    {
        var id = NodeFixture.NewUserId("u");
        var (status, body) = await Node.PostLoginAsync(new { id, nickname = "张三", avatar = "http://a/b.png", device = "im_app_android", extras = new { k = "v" } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(200, body.GetProperty("code").GetInt32());
        Assert.Equal("success", body.GetProperty("msg").GetString());
        var user = body.GetProperty("data").GetProperty("imUserVo");
        Assert.Equal(id, user.GetProperty("id").GetString());
        Assert.Equal("张三", user.GetProperty("nickname").GetString());
        Assert.Equal("http://a/b.png", user.GetProperty("avatar").GetString());
        Assert.Equal(1, user.GetProperty("userStatus").GetInt32());
        Assert.Equal(JsonValueKind.String, user.GetProperty("lastLoginTime").ValueKind);
        Assert.Equal("v", user.GetProperty("extras").GetProperty("k").GetString());
        Assert.StartsWith("Bearer ey", body.GetProperty("data").GetProperty("token").GetString());
    }

    [Fact]
    public async Task Missing_app_key_is_401()
    {
        var (status, body) = await Node.PostLoginAsync(new { id = "x1" }, appKey: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, body.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task Wrong_app_key_is_401()
    {
        var (status, body) = await Node.PostLoginAsync(new { id = "x1" }, appKey: "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, body.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("")]
    public async Task Bad_user_id_is_212(string id)
    {
        var (status, body) = await Node.PostLoginAsync(new { id });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ImErrorCodes.InvalidUserId, body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Missing_id_is_4001_and_malformed_json_is_4406()
    {
        var (status, body) = await Node.PostLoginAsync(new { nickname = "n" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ImErrorCodes.MissingParameter, body.GetProperty("code").GetInt32());

        (status, body) = await Node.SendAsync(HttpMethod.Post, "/openapi/v1/user/login", "{\"id\":", [("X-App-Key", TestNode.AppKey)]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ImErrorCodes.InvalidParameter, body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Banned_user_cannot_log_in_or_connect_and_unban_restores()
    {
        var id = NodeFixture.NewUserId("ban");
        var token = await Node.LoginAsync(id);

        var (status, body) = await Node.SendAsync(HttpMethod.Put, "/openapi/v1/user/status",
            JsonSerializer.Serialize(new { id, userStatus = 2 }), [("X-App-Key", TestNode.AppKey)]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("data").GetProperty("imUserVo").GetProperty("userStatus").GetInt32());

        (status, body) = await Node.PostLoginAsync(new { id });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(ImErrorCodes.Banned, body.GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, await Node.FailedHandshakeStatusAsync(token, "im_web"));

        (status, _) = await Node.SendAsync(HttpMethod.Put, "/openapi/v1/user/status",
            JsonSerializer.Serialize(new { id, userStatus = 1 }), [("X-App-Key", TestNode.AppKey)]);
        Assert.Equal(HttpStatusCode.OK, status);
        await using var socket = await Node.ConnectAsync(token);
        await socket.PingAsync();
    }

    [Fact]
    public async Task Status_of_unknown_user_is_211()
    {
        var (status, body) = await Node.SendAsync(HttpMethod.Put, "/openapi/v1/user/status",
            JsonSerializer.Serialize(new { id = NodeFixture.NewUserId("ghost"), userStatus = 2 }), [("X-App-Key", TestNode.AppKey)]);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(ImErrorCodes.UnknownUser, body.GetProperty("code").GetInt32());
    }
}
