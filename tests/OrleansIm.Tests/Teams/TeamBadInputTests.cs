using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Teams;

/// <summary>Bad team requests get documented codes and change nothing; the socket stays usable.</summary>
public sealed class TeamBadInputTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Unknown_teams_outsiders_and_non_groups_get_codes()
    {
        var owner = await TeamClient.ConnectAsync(Node, "tb");
        var outsider = await TeamClient.ConnectAsync(Node, "tb");
        var teamId = await owner.CreateTeamAsync("Closed", []);

        await owner.Socket.ExpectErrorAsync("team.info", new { team_id = Guid.NewGuid().ToString("N") }, 4003);
        await outsider.Socket.ExpectErrorAsync("team.info", new { team_id = teamId }, 4003);
        await outsider.Socket.ExpectErrorAsync("team.members", new { team_id = teamId }, 4003);
        await outsider.Socket.ExpectErrorAsync("team.leave", new { team_id = teamId }, 4003);
        await owner.Socket.ExpectErrorAsync("team.info", new { team_id = "not/an id" }, 4406);
        await owner.Socket.ExpectErrorAsync("team.info", new { }, 4001);
        await owner.Socket.ExpectErrorAsync("team.add_managers", new { team_id = teamId, user_ids = new[] { outsider.UserId } }, 4206);
        await owner.Socket.ExpectErrorAsync("team.transfer", new { team_id = teamId, user_id = outsider.UserId }, 4206);
        await owner.Socket.ExpectErrorAsync("team.add_members", new { team_id = teamId, user_ids = new[] { "never_logged_in_" + Guid.NewGuid().ToString("N")[..6] } }, 211);

        var (_, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = owner.UserId, to_client_ids = new[] { outsider.UserId }, conv_type = 2 }));
        var temporary = created.GetProperty("data").GetProperty("conv_id").GetString()!;
        await owner.Socket.ExpectErrorAsync("team.info", new { team_id = temporary }, 4201);
        await owner.Socket.PingAsync();
    }

    [Fact]
    public async Task Too_many_ids_long_fields_and_bad_modes_get_codes()
    {
        var owner = await TeamClient.ConnectAsync(Node, "tl");
        var teamId = await owner.CreateTeamAsync("Limits", []);
        var tooMany = Enumerable.Range(0, 201).Select(i => $"u{i}").ToArray();

        await owner.Socket.ExpectErrorAsync("team.add_members", new { team_id = teamId, user_ids = tooMany }, 4013);
        await owner.Socket.ExpectErrorAsync("team.create", new { name = "big", members = tooMany }, 4013);
        await owner.Socket.ExpectErrorAsync("team.add_members", new { team_id = teamId, user_ids = Array.Empty<string>() }, 4001);
        await owner.Socket.ExpectErrorAsync("team.add_members", new { team_id = teamId, user_ids = new[] { "bad id!" } }, 212);
        await owner.Socket.ExpectErrorAsync("team.create", new { name = new string('n', 65) }, 4013);
        await owner.Socket.ExpectErrorAsync("team.create", new { name = "  " }, 4001);
        await owner.Socket.ExpectErrorAsync("team.create", new { }, 4001);
        await owner.Socket.ExpectErrorAsync("team.update", new { team_id = teamId, intro = new string('i', 513) }, 4013);
        await owner.Socket.ExpectErrorAsync("team.update", new { team_id = teamId, announcement = new string('a', 2049) }, 4013);
        await owner.Socket.ExpectErrorAsync("team.update", new { team_id = teamId, join_mode = "anyone" }, 4406);
        await owner.Socket.ExpectErrorAsync("team.update", new { team_id = teamId, custom = "not an object" }, 4406);
        await owner.Socket.ExpectErrorAsync("team.update", new { team_id = teamId, name = "x\0y" }, 4406);
        await owner.Socket.ExpectErrorAsync("team.update", new { team_id = teamId }, 4001);
        await owner.Socket.ExpectErrorAsync("team.update_member", new { team_id = teamId, nickname = new string('k', 65) }, 4013);
        await owner.Socket.ExpectErrorAsync("team.mute_all", new { team_id = teamId }, 4001);
        await owner.Socket.ExpectErrorAsync("team.members", new { team_id = teamId, limit = 101 }, 4013);
        await owner.Socket.ExpectErrorAsync("team.members", new { team_id = teamId, cursor = "-1" }, 4406);
        await owner.Socket.ExpectErrorAsync("team.transfer", new { team_id = teamId, user_id = owner.UserId }, 4406);

        var info = (await owner.Socket.AckAsync("team.info", new { team_id = teamId })).GetProperty("team");
        Assert.Equal("Limits", info.GetProperty("name").GetString());
        Assert.Equal("needVerify", info.GetProperty("join_mode").GetString());
        Assert.Equal(1, info.GetProperty("member_count").GetInt32());
    }

    [Fact]
    public async Task The_member_limit_is_ImGrains_MaxGroupMembers()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["ImGrains:MaxGroupMembers"] = "3" });
        var clients = await TeamClient.ConnectManyAsync(node, "tlim", 4);
        var teamId = await clients[0].CreateTeamAsync("Small", [clients[1], clients[2]]);
        await clients[0].Socket.ExpectErrorAsync("team.add_members", new { team_id = teamId, user_ids = new[] { clients[3].UserId } }, 4013);
        await clients[0].Socket.AckAsync("team.remove_members", new { team_id = teamId, user_ids = new[] { clients[2].UserId } });
        await clients[0].Socket.AckAsync("team.add_members", new { team_id = teamId, user_ids = new[] { clients[3].UserId } });
        foreach (var client in clients) await client.DisposeAsync();
    }
}
