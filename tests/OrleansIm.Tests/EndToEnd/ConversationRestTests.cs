using System.Net;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

public sealed class ConversationRestTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static string Q(string s) => Uri.EscapeDataString(s);

    private async Task<string> CreateAsync(string creator, string[] to, int type = 3, object? extend = null)
    {
        var (status, body) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = creator, to_client_ids = to, conv_type = type, conv_extend = extend }));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(0, body.GetProperty("code").GetInt32());
        return body.GetProperty("data").GetProperty("conv_id").GetString()!;
    }

    [Fact]
    public async Task Create_query_update_members_delete()
    {
        var a = NodeFixture.NewUserId("a");
        var b = NodeFixture.NewUserId("b");
        var c = NodeFixture.NewUserId("c");
        foreach (var u in new[] { a, b, c }) await Node.LoginAsync(u);

        var (status, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 2, conv_extend = new { conv_name = "just test" } }),
            headers: ("request-id", "req-42"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", created.GetProperty("message").GetString());
        Assert.Equal("req-42", created.GetProperty("request-id").GetString());
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", convId);
        Assert.Equal("just test", created.GetProperty("data").GetProperty("conv_extend").GetProperty("conv_name").GetString());

        var where = Q($"[[\"conv_id\",\"=\",\"{convId}\"]]");
        var (_, query) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations?where={where}&page=1&size=20");
        Assert.Equal(JsonValueKind.Null, query.GetProperty("request-id").ValueKind);
        var page = query.GetProperty("data");
        Assert.Equal(1, page.GetProperty("current_page").GetInt32());
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.Equal(1, page.GetProperty("last_page").GetInt32());
        Assert.Equal(20, page.GetProperty("per_page").GetInt32());
        var row = page.GetProperty("data")[0];
        Assert.Equal(convId, row.GetProperty("conv_id").GetString());
        Assert.Equal(2, row.GetProperty("conv_type").GetInt32());
        Assert.Equal(2, row.GetProperty("client_num").GetInt32());
        Assert.Equal(TestNode.AppId, row.GetProperty("app_id").GetString());
        Assert.Equal(a, row.GetProperty("conv_creater_id").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", row.GetProperty("ctime").GetString());
        Assert.True(row.TryGetProperty("mtime", out _));

        var (_, updated) = await Node.ApiAsync(HttpMethod.Put, "/im/conversations",
            $"{{\"where\":[[\"conv_id\",\"=\",\"{convId}\"]],\"update\":{{\"conv_extend\":{{\"conv_name\":\"test2\"}}}}}}");
        Assert.True(updated.GetProperty("data").GetBoolean());
        (_, query) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations?where={where}");
        Assert.Equal("test2", query.GetProperty("data").GetProperty("data")[0].GetProperty("conv_extend").GetProperty("conv_name").GetString());

        var (_, added) = await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/members", JsonSerializer.Serialize(new { client_ids = new[] { c } }));
        Assert.True(added.GetProperty("data").GetBoolean());
        var (_, members) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/members");
        Assert.Equal(new[] { a, b, c }.Order(), members.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).Order());

        var (_, deleted) = await Node.ApiAsync(HttpMethod.Delete, $"/im/conversations/{convId}");
        Assert.True(deleted.GetProperty("data").GetBoolean());
        (_, query) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations?where={where}");
        Assert.Equal(0, query.GetProperty("data").GetProperty("total").GetInt32());
        var (gone, missing) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations/{convId}/members");
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Equal(ImErrorCodes.ConversationNotFound, missing.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Query_pages_with_in_filter()
    {
        var a = NodeFixture.NewUserId("pa");
        var b = NodeFixture.NewUserId("pb");
        await Node.LoginAsync(a);
        await Node.LoginAsync(b);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await CreateAsync(a, [b]));

        var where = Q(JsonSerializer.Serialize(new object[] { new object[] { "conv_id", "in", ids }, new object[] { "conv_type", "=", 3 } }));
        var (_, first) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations?where={where}&page=1&size=2");
        var (_, third) = await Node.ApiAsync(HttpMethod.Get, $"/im/conversations?where={where}&page=3&size=2");
        Assert.Equal(5, first.GetProperty("data").GetProperty("total").GetInt32());
        Assert.Equal(3, first.GetProperty("data").GetProperty("last_page").GetInt32());
        Assert.Equal(2, first.GetProperty("data").GetProperty("data").GetArrayLength());
        Assert.Equal(1, third.GetProperty("data").GetProperty("data").GetArrayLength());
        Assert.Equal(3, third.GetProperty("data").GetProperty("current_page").GetInt32());
    }

    [Fact]
    public async Task Private_conversation_create_is_idempotent()
    {
        var a = NodeFixture.NewUserId("pr");
        var b = NodeFixture.NewUserId("pr");
        await Node.LoginAsync(a);
        await Node.LoginAsync(b);
        Assert.Equal(await CreateAsync(a, [b], type: 1), await CreateAsync(b, [a], type: 1));
    }

    [Fact]
    public async Task Errors_have_seed_codes()
    {
        var a = NodeFixture.NewUserId("e");
        var b = NodeFixture.NewUserId("e");
        await Node.LoginAsync(a);
        await Node.LoginAsync(b);
        var good = JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 3 });

        async Task Expect(HttpStatusCode http, int code, HttpMethod method, string path, string? json, string? appId = TestNode.AppId, string? appKey = TestNode.AppKey)
        {
            var (status, body) = await Node.ApiAsync(method, path, json, appId, appKey);
            Assert.True(code == body.GetProperty("code").GetInt32(), $"{method} {path} {json}: expected {code}, got {body}");
            Assert.Equal(http, status);
            Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
        }

        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.MissingHeader, HttpMethod.Post, "/im/conversations", good, appId: null);
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.MissingHeader, HttpMethod.Post, "/im/conversations", good, appKey: null);
        await Expect(HttpStatusCode.Unauthorized, ImErrorCodes.Unauthorized, HttpMethod.Post, "/im/conversations", good, appKey: "master");
        await Expect(HttpStatusCode.Unauthorized, ImErrorCodes.Unauthorized, HttpMethod.Post, "/im/conversations", good, appId: "1");
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidConversationType, HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 9 }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, HttpMethod.Post, "/im/conversations", "{\"client_id\":");
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, HttpMethod.Post, "/im/conversations", "[1,2]");
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.MissingParameter, HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, conv_type = 3 }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.MissingParameter, HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b } }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = b, conv_type = 3 }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 3, conv_extend = "x" }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidUserId, HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = "bad id", to_client_ids = new[] { b }, conv_type = 3 }));
        await Expect(HttpStatusCode.NotFound, ImErrorCodes.UnknownUser, HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { NodeFixture.NewUserId("nobody") }, conv_type = 3 }));
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.MissingParameter, HttpMethod.Get, "/im/conversations", null);
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, HttpMethod.Get, "/im/conversations?where=" + Q("[[\"conv_id\""), null);
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, HttpMethod.Get, "/im/conversations?where=" + Q("[[\"nope\",\"=\",1]]"), null);
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter, HttpMethod.Get, "/im/conversations?where=[]&page=abc", null);
        await Expect(HttpStatusCode.RequestEntityTooLarge, ImErrorCodes.LimitExceeded, HttpMethod.Get, "/im/conversations?where=[]&size=1000", null);
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.MissingParameter, HttpMethod.Put, "/im/conversations", "{\"where\":[]}");
        await Expect(HttpStatusCode.NotFound, ImErrorCodes.ConversationNotFound, HttpMethod.Put, "/im/conversations",
            "{\"where\":[[\"conv_id\",\"=\",\"00000000000000000000000000000000\"]],\"update\":{\"conv_extend\":{}}}");
        await Expect(HttpStatusCode.NotFound, ImErrorCodes.ConversationNotFound, HttpMethod.Delete, "/im/conversations/00000000000000000000000000000000", null);
        await Expect(HttpStatusCode.BadRequest, ImErrorCodes.MissingParameter, HttpMethod.Post, "/im/conversations/00000000000000000000000000000000/members", "{}");
    }
}
