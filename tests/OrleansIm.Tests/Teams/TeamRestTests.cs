using System.Net;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Teams;

/// <summary>The teams server API (/im/teams, seed 003's headers and envelope): the application acts with the owner's rights.</summary>
public sealed class TeamRestTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task The_server_creates_a_team_changes_members_and_owner_and_dismisses_it()
    {
        var clients = await TeamClient.ConnectManyAsync(Node, "tapi", 3);
        var (owner, a, b) = (clients[0], clients[1], clients[2]);

        var (status, created) = await Node.ApiAsync(HttpMethod.Post, "/im/teams",
            Json(new { owner = owner.UserId, members = new[] { a.UserId }, name = "From the server", join_mode = "noVerify" }), headers: ("request-id", "req-1"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, created.GetProperty("code").GetInt32());
        Assert.Equal("req-1", created.GetProperty("request-id").GetString());
        var teamId = created.GetProperty("data").GetProperty("team").GetProperty("team_id").GetString()!;
        Assert.Equal(owner.UserId, (await owner.EventAsync("createTeam", teamId)).GetProperty("data").GetProperty("team").GetProperty("owner").GetString());
        await a.EventAsync("createTeam", teamId);

        var (_, info) = await Node.ApiAsync(HttpMethod.Get, $"/im/teams/{teamId}");
        Assert.Equal("From the server", info.GetProperty("data").GetProperty("team").GetProperty("name").GetString());
        Assert.Equal(2, info.GetProperty("data").GetProperty("team").GetProperty("member_count").GetInt32());

        var (_, added) = await Node.ApiAsync(HttpMethod.Post, $"/im/teams/{teamId}/members", Json(new { client_ids = new[] { b.UserId } }));
        Assert.Equal(b.UserId, added.GetProperty("data").GetProperty("added")[0].GetString());
        Assert.Equal(JsonValueKind.Null, (await a.EventAsync("addTeamMembers", teamId)).GetProperty("data").GetProperty("by").ValueKind);

        var (_, members) = await Node.ApiAsync(HttpMethod.Get, $"/im/teams/{teamId}/members?limit=2");
        Assert.Equal(2, members.GetProperty("data").GetProperty("members").GetArrayLength());
        Assert.Equal("2", members.GetProperty("data").GetProperty("cursor").GetString());

        await Node.ApiAsync(HttpMethod.Post, $"/im/teams/{teamId}/managers", Json(new { client_ids = new[] { a.UserId } }));
        await Node.ApiAsync(HttpMethod.Post, $"/im/teams/{teamId}/members/remove", Json(new { client_ids = new[] { b.UserId } }));
        await b.EventAsync("removeTeamMembers", teamId);

        var (_, transferred) = await Node.ApiAsync(HttpMethod.Put, $"/im/teams/{teamId}/owner", Json(new { owner = a.UserId, leave = 1 }));
        Assert.Equal(a.UserId, transferred.GetProperty("data").GetProperty("team").GetProperty("owner").GetString());
        Assert.Equal(a.UserId, (await owner.EventAsync("transferTeam", teamId)).GetProperty("data").GetProperty("to").GetString());
        await owner.EventAsync("removeTeamMembers", teamId); // the old owner left with the transfer

        var (_, updated) = await Node.ApiAsync(HttpMethod.Put, $"/im/teams/{teamId}", Json(new { announcement = "moving on" }));
        Assert.Equal("moving on", updated.GetProperty("data").GetProperty("team").GetProperty("announcement").GetString());

        var (dismissStatus, dismissed) = await Node.ApiAsync(HttpMethod.Delete, $"/im/teams/{teamId}");
        Assert.Equal(HttpStatusCode.OK, dismissStatus);
        Assert.True(dismissed.GetProperty("data").GetBoolean());
        Assert.Equal(JsonValueKind.Null, (await a.EventAsync("dismissTeam", teamId)).GetProperty("data").GetProperty("by").ValueKind);
        var (goneStatus, gone) = await Node.ApiAsync(HttpMethod.Get, $"/im/teams/{teamId}");
        Assert.Equal(HttpStatusCode.NotFound, goneStatus);
        Assert.Equal(4004, gone.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Bad_server_calls_get_codes()
    {
        var owner = await TeamClient.ConnectAsync(Node, "tapx");
        var outsider = await TeamClient.ConnectAsync(Node, "tapx");
        var teamId = await owner.CreateTeamAsync("Checked", []);

        await Expect(HttpStatusCode.BadRequest, 4002, Node.ApiAsync(HttpMethod.Get, $"/im/teams/{teamId}", appKey: null));
        await Expect(HttpStatusCode.Unauthorized, 4010, Node.ApiAsync(HttpMethod.Get, $"/im/teams/{teamId}", appKey: "wrong-key-123"));
        await Expect(HttpStatusCode.NotFound, 4004, Node.ApiAsync(HttpMethod.Get, $"/im/teams/{Guid.NewGuid():N}"));
        await Expect(HttpStatusCode.BadRequest, 4406, Node.ApiAsync(HttpMethod.Get, "/im/teams/bad!id"));
        await Expect(HttpStatusCode.BadRequest, 4001, Node.ApiAsync(HttpMethod.Post, "/im/teams", Json(new { name = "no owner" })));
        await Expect(HttpStatusCode.NotFound, 211, Node.ApiAsync(HttpMethod.Post, "/im/teams", Json(new { owner = "nobody_" + Guid.NewGuid().ToString("N")[..6], name = "x" })));
        await Expect(HttpStatusCode.BadRequest, 4406, Node.ApiAsync(HttpMethod.Post, "/im/teams", "{not json"));
        await Expect(HttpStatusCode.RequestEntityTooLarge, 4013, Node.ApiAsync(HttpMethod.Post, $"/im/teams/{teamId}/members",
            Json(new { client_ids = Enumerable.Range(0, 201).Select(i => $"u{i}").ToArray() })));
        await Expect(HttpStatusCode.NotFound, 4206, Node.ApiAsync(HttpMethod.Put, $"/im/teams/{teamId}/owner", Json(new { owner = outsider.UserId })));
        await Expect(HttpStatusCode.Conflict, 4204, Node.ApiAsync(HttpMethod.Post, $"/im/teams/{teamId}/members/remove", Json(new { client_ids = new[] { owner.UserId } })));
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static async Task Expect(HttpStatusCode status, int code, Task<(HttpStatusCode Status, JsonElement Body)> call)
    {
        var (actual, body) = await call;
        Assert.True(actual == status && body.GetProperty("code").GetInt32() == code, $"Expected {(int)status}/{code}, got {(int)actual} {body}");
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
    }
}
