using System.Net;
using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Relations;

/// <summary>The friends, relations and name-card server API (/im/users/…, seed 003 headers and envelope) against a real node.</summary>
public sealed class RelationRestTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static JsonElement Ok((HttpStatusCode Status, JsonElement Body) response)
    {
        Assert.True(response.Status == HttpStatusCode.OK, response.Body.ToString());
        Assert.Equal(0, response.Body.GetProperty("code").GetInt32());
        Assert.True(response.Body.TryGetProperty("request-id", out _));
        return response.Body.GetProperty("data");
    }

    private static void Fails((HttpStatusCode Status, JsonElement Body) response, HttpStatusCode status, int code)
    {
        Assert.Equal(status, response.Status);
        Assert.Equal(code, response.Body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Friends_can_be_added_listed_renamed_and_deleted_and_the_users_devices_hear_of_it()
    {
        var a = NodeFixture.NewUserId("rf");
        var b = NodeFixture.NewUserId("rf");
        await Node.LoginAsync(a);
        await using var bob = await Node.ConnectAsync(await Node.LoginAsync(b));

        var added = Ok(await Node.ApiAsync(HttpMethod.Post, $"/im/users/{a}/friends", JsonSerializer.Serialize(new { account = b })));
        Assert.Equal(b, added.GetProperty("friend").GetProperty("account").GetString());
        Assert.Equal(a, (await bob.WaitForTypeAsync("syncFriend")).GetProperty("data").GetProperty("account").GetString());

        Ok(await Node.ApiAsync(HttpMethod.Put, $"/im/users/{a}/friends/{b}", JsonSerializer.Serialize(new { alias = "Bee" })));
        var list = Ok(await Node.ApiAsync(HttpMethod.Get, $"/im/users/{a}/friends"));
        Assert.Equal("Bee", list[0].GetProperty("alias").GetString());
        Assert.Equal(a, Ok(await Node.ApiAsync(HttpMethod.Get, $"/im/users/{b}/friends"))[0].GetProperty("account").GetString());

        Ok(await Node.ApiAsync(HttpMethod.Delete, $"/im/users/{a}/friends/{b}"));
        Assert.Equal(0, Ok(await Node.ApiAsync(HttpMethod.Get, $"/im/users/{b}/friends")).GetArrayLength());
        Fails(await Node.ApiAsync(HttpMethod.Delete, $"/im/users/{a}/friends/{b}"), HttpStatusCode.NotFound, ImErrorCodes.NotFriend);
    }

    [Fact]
    public async Task Black_and_mute_lists_are_set_and_unset_and_the_black_list_is_enforced()
    {
        var a = NodeFixture.NewUserId("rb");
        var b = NodeFixture.NewUserId("rb");
        await Node.LoginAsync(a);
        await Node.LoginAsync(b);
        var convId = Ok(await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 1 }))).GetProperty("conv_id").GetString();
        var send = JsonSerializer.Serialize(new { from_client = b, type = -1, text = "hi" });

        Ok(await Node.ApiAsync(HttpMethod.Post, $"/im/users/{a}/blacklist", JsonSerializer.Serialize(new { account = b })));
        Ok(await Node.ApiAsync(HttpMethod.Post, $"/im/users/{a}/mutelist", JsonSerializer.Serialize(new { account = b })));
        var lists = Ok(await Node.ApiAsync(HttpMethod.Get, $"/im/users/{a}/relations"));
        Assert.Equal(b, lists.GetProperty("blacklist")[0].GetProperty("account").GetString());
        Assert.Equal(b, lists.GetProperty("mutelist")[0].GetProperty("account").GetString());
        Fails(await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message", send), HttpStatusCode.Forbidden, ImErrorCodes.BlockedByRecipient);

        Ok(await Node.ApiAsync(HttpMethod.Delete, $"/im/users/{a}/blacklist/{b}"));
        Ok(await Node.ApiAsync(HttpMethod.Delete, $"/im/users/{a}/mutelist/{b}"));
        lists = Ok(await Node.ApiAsync(HttpMethod.Get, $"/im/users/{a}/relations"));
        Assert.Equal(0, lists.GetProperty("blacklist").GetArrayLength());
        Assert.Equal(0, lists.GetProperty("mutelist").GetArrayLength());
        Ok(await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message", send));
    }

    [Fact]
    public async Task Name_cards_are_looked_up_by_id()
    {
        var a = NodeFixture.NewUserId("rc");
        var b = NodeFixture.NewUserId("rc");
        await Node.LoginAsync(a, "Card A");
        await Node.LoginAsync(b, "Card B");
        var cards = Ok(await Node.ApiAsync(HttpMethod.Get, $"/im/users?accounts={a},{b},{NodeFixture.NewUserId("ghost")}"));
        Assert.Equal(["Card A", "Card B"], cards.EnumerateArray().Select(c => c.GetProperty("nickname").GetString()!).Order().ToArray());

        var tooMany = string.Join(',', Enumerable.Range(0, 151).Select(i => "u" + i));
        Fails(await Node.ApiAsync(HttpMethod.Get, $"/im/users?accounts={tooMany}"), HttpStatusCode.RequestEntityTooLarge, ImErrorCodes.LimitExceeded);
        Fails(await Node.ApiAsync(HttpMethod.Get, "/im/users"), HttpStatusCode.BadRequest, ImErrorCodes.MissingParameter);
    }

    [Fact]
    public async Task Bad_calls_get_codes()
    {
        var a = NodeFixture.NewUserId("rx");
        await Node.LoginAsync(a);
        var ghost = NodeFixture.NewUserId("ghost");
        Fails(await Node.ApiAsync(HttpMethod.Get, $"/im/users/{a}/friends", appKey: null), HttpStatusCode.BadRequest, ImErrorCodes.MissingHeader);
        Fails(await Node.ApiAsync(HttpMethod.Get, $"/im/users/{a}/friends", appKey: "wrong"), HttpStatusCode.Unauthorized, ImErrorCodes.Unauthorized);
        Fails(await Node.ApiAsync(HttpMethod.Get, $"/im/users/{ghost}/friends"), HttpStatusCode.NotFound, ImErrorCodes.UnknownUser);
        Fails(await Node.ApiAsync(HttpMethod.Post, $"/im/users/{a}/friends", JsonSerializer.Serialize(new { account = ghost })), HttpStatusCode.NotFound, ImErrorCodes.UnknownUser);
        Fails(await Node.ApiAsync(HttpMethod.Post, $"/im/users/{a}/friends", JsonSerializer.Serialize(new { account = a })), HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter);
        Fails(await Node.ApiAsync(HttpMethod.Post, $"/im/users/{a}/blacklist", "{}"), HttpStatusCode.BadRequest, ImErrorCodes.MissingParameter);
        Fails(await Node.ApiAsync(HttpMethod.Post, $"/im/users/{a}/mutelist", "not json"), HttpStatusCode.BadRequest, ImErrorCodes.InvalidParameter);
        Fails(await Node.ApiAsync(HttpMethod.Delete, $"/im/users/{a}/blacklist/bad%20id"), HttpStatusCode.BadRequest, ImErrorCodes.InvalidUserId);
    }
}
