using System.Net;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

public sealed class MessageRestTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private async Task<(string A, string B, string ConvId)> SetupAsync()
    {
        // Numeric ids, as in seed 003's examples ("from_client":2).
        var a = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString();
        var b = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString();
        await Node.LoginAsync(a);
        await Node.LoginAsync(b);
        var (_, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 3 }));
        return (a, b, created.GetProperty("data").GetProperty("conv_id").GetString()!);
    }

    [Fact]
    public async Task Send_and_list_with_query_and_body_paging()
    {
        var (a, _, convId) = await SetupAsync();
        for (var i = 1; i <= 7; i++)
        {
            // from_client as a JSON number, like the seed's curl.
            var (status, sent) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message",
                $"{{\"from_client\":{a},\"type\":-1,\"text\":\"m{i}\"}}");
            Assert.True(status == HttpStatusCode.OK, sent.ToString());
            Assert.Matches("^[0-9a-zA-Z_-]+$", sent.GetProperty("data").GetProperty("msg_id").GetString());
            Assert.True(sent.GetProperty("data").GetProperty("time").GetInt64() > 0);
            Assert.Equal(i, sent.GetProperty("data").GetProperty("seq").GetInt64());
        }
        await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message",
            JsonSerializer.Serialize(new { from_client = a, type = -2, url = "http://img/1.png", attr = new { w = 10 }, mention_all = 1, mention_client_ids = new[] { a } }));

        var (_, byQuery) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/message?page=2&size=3");
        var page = byQuery.GetProperty("data");
        Assert.Equal(2, page.GetProperty("current_page").GetInt32());
        Assert.Equal(3, page.GetProperty("per_page").GetInt32());
        Assert.Equal(8, page.GetProperty("total").GetInt32());
        Assert.Equal(3, page.GetProperty("last_page").GetInt32());
        // Newest first: page 2 of size 3 holds seq 5, 4, 3.
        Assert.Equal(new long[] { 5, 4, 3 }, page.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()));

        // Seed 003's curl: GET with a JSON body {"page":3,"size":5}.
        var (_, byBody) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/message", "{\"page\":2,\"size\":5}");
        Assert.Equal(2, byBody.GetProperty("data").GetProperty("current_page").GetInt32());
        Assert.Equal(new long[] { 3, 2, 1 }, byBody.GetProperty("data").GetProperty("data").EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()));

        var (_, defaults) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/message");
        Assert.Equal(10, defaults.GetProperty("data").GetProperty("per_page").GetInt32());
        var newest = defaults.GetProperty("data").GetProperty("data")[0];
        string[] seedFields = ["msg_id", "conv_id", "type", "text", "attr", "url", "ctime", "msg_status", "no_sync", "mention_all", "mention_client_ids", "transient", "mtime", "client_id", "seq", "recalled"];
        Assert.Equal(seedFields.Order(), newest.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(-2, newest.GetProperty("type").GetInt32());
        Assert.Equal(10, newest.GetProperty("attr").GetProperty("w").GetInt32());
        Assert.Equal("http://img/1.png", newest.GetProperty("url").GetString());
        Assert.Equal(1, newest.GetProperty("msg_status").GetInt32());
        Assert.Equal(1, newest.GetProperty("mention_all").GetInt32());
        Assert.Equal(a, newest.GetProperty("mention_client_ids")[0].GetString());
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("mtime").ValueKind);
        Assert.Equal(a, newest.GetProperty("client_id").GetString());
        Assert.Equal(convId, newest.GetProperty("conv_id").GetString());
    }

    [Fact]
    public async Task Send_errors()
    {
        var (a, _, convId) = await SetupAsync();
        var outsider = NodeFixture.NewUserId("out");
        await Node.LoginAsync(outsider);
        var path = $"/im/conversations/{convId}/message";

        async Task Expect(HttpStatusCode http, int code, string path, string json, HttpMethod? method = null)
        {
            var (status, body) = await Node.ApiAsync(method ?? HttpMethod.Post, path, json);
            Assert.True(code == body.GetProperty("code").GetInt32(), $"{json}: expected {code}, got {body}");
            Assert.Equal(http, status);
        }

        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.MissingParameter, path, JsonSerializer.Serialize(new { from_client = a, text = "x" }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.MissingParameter, path, JsonSerializer.Serialize(new { type = -1, text = "x" }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.MissingParameter, path, JsonSerializer.Serialize(new { from_client = a, type = -1 }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, path, JsonSerializer.Serialize(new { from_client = a, type = "text", text = "x" }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, path, "{\"from_client\":1,\"type\":-1,");
        await Expect(HttpStatusCode.RequestEntityTooLarge, ImErrorCodes.LimitExceeded, path,
            JsonSerializer.Serialize(new { from_client = a, type = -1, text = new string('x', MessageLimits.MaxTextLength + 1) }));
        await Expect(HttpStatusCode.Forbidden, ImErrorCodes.NotMember, path, JsonSerializer.Serialize(new { from_client = outsider, type = -1, text = "x" }));
        await Expect(HttpStatusCode.NotFound, ImErrorCodes.ConversationNotFound, "/im/conversations/00000000000000000000000000000000/message",
            JsonSerializer.Serialize(new { from_client = a, type = -1, text = "x" }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, path, "{\"page\":\"x\"}", HttpMethod.Get);
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, path, "{\"page\":", HttpMethod.Get);
    }

    [Fact]
    public async Task The_app_cannot_send_or_create_a_conversation_as_a_banned_user()
    {
        var (a, b, convId) = await SetupAsync();
        var (status, _) = await Node.SendAsync(HttpMethod.Put, "/openapi/v1/user/status",
            JsonSerializer.Serialize(new { id = a, userStatus = UserStatuses.Banned }), [("X-App-Key", TestNode.AppKey)]);
        Assert.Equal(HttpStatusCode.OK, status);

        var (sendStatus, sent) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message",
            JsonSerializer.Serialize(new { from_client = a, type = -1, text = "as a banned user" }));
        Assert.Equal((HttpStatusCode.Forbidden, ImErrorCodes.Banned), (sendStatus, sent.GetProperty("code").GetInt32()));
        var (createStatus, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 3 }));
        Assert.Equal((HttpStatusCode.Forbidden, ImErrorCodes.Banned), (createStatus, created.GetProperty("code").GetInt32()));

        // The other member still sends; the history holds nothing from the banned user's refused send.
        var (okStatus, _) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message",
            JsonSerializer.Serialize(new { from_client = b, type = -1, text = "still here" }));
        Assert.Equal(HttpStatusCode.OK, okStatus);
        var (_, list) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/message");
        Assert.Equal(["still here"], list.GetProperty("data").GetProperty("data").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
    }
}
