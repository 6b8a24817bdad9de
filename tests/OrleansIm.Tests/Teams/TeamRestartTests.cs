using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Teams;

/// <summary>A team's members (in join order), owner, managers, info, nicknames and mutes survive a node restart.</summary>
public sealed class TeamRestartTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_restarted_node_keeps_the_team()
    {
        string teamId;
        string bToken, a, b;
        await using (var owner = await TeamClient.ConnectAsync(_node, "tr"))
        await using (var ca = await TeamClient.ConnectAsync(_node, "tr"))
        await using (var cb = await TeamClient.ConnectAsync(_node, "tr"))
        {
            (bToken, a, b) = (cb.Token, ca.UserId, cb.UserId);
            teamId = await owner.CreateTeamAsync("Durable", [ca, cb], new { announcement = "kept", be_invite_mode = "needVerify" });
            await owner.Socket.AckAsync("team.add_managers", new { team_id = teamId, user_ids = new[] { a } });
            await owner.Socket.AckAsync("team.mute_member", new { team_id = teamId, user_ids = new[] { b }, mute = 1 });
            await ca.Socket.AckAsync("team.update_member", new { team_id = teamId, nickname = "Ace" });
            await owner.Socket.AckAsync("team.transfer", new { team_id = teamId, user_id = a });
        }

        await _node.RestartAsync();

        await using var again = await _node.ConnectAsync(bToken);
        var info = (await again.AckAsync("team.info", new { team_id = teamId })).GetProperty("team");
        Assert.Equal("Durable", info.GetProperty("name").GetString());
        Assert.Equal("kept", info.GetProperty("announcement").GetString());
        Assert.Equal("needVerify", info.GetProperty("be_invite_mode").GetString());
        Assert.Equal(a, info.GetProperty("owner").GetString());
        var members = (await again.AckAsync("team.members", new { team_id = teamId })).GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("user_id").GetString()!);
        Assert.Equal(3, members.Count);
        Assert.Equal("owner", members[a].GetProperty("role").GetString());
        Assert.Equal("Ace", members[a].GetProperty("nickname").GetString());
        Assert.True(members[b].GetProperty("muted").GetBoolean());
        await again.ExpectErrorAsync("msg.send", new { conv_id = teamId, type = -1, text = "still muted?" }, 4210);
    }

    [Fact]
    public async Task A_restarted_node_keeps_the_members_in_join_order_after_joins_and_leaves()
    {
        string teamId, token;
        string[] expected;
        await using (var owner = await TeamClient.ConnectAsync(_node, "to"))
        {
            var clients = await TeamClient.ConnectManyAsync(_node, "to", 5);
            try
            {
                // Created with 3 and 0 (not in id order), then 4 and 1 join; 0 leaves, 2 never joins.
                teamId = await owner.CreateTeamAsync("Order", [clients[3], clients[0]]);
                await owner.Socket.AckAsync("team.add_members", new { team_id = teamId, user_ids = new[] { clients[4].UserId, clients[1].UserId } });
                await owner.Socket.AckAsync("team.remove_members", new { team_id = teamId, user_ids = new[] { clients[0].UserId } });
                expected = [owner.UserId, clients[3].UserId, clients[4].UserId, clients[1].UserId];
                token = clients[1].Token;
            }
            finally
            {
                foreach (var client in clients) await client.DisposeAsync();
            }
        }

        await _node.RestartAsync();

        await using var again = await _node.ConnectAsync(token);
        var members = (await again.AckAsync("team.members", new { team_id = teamId })).GetProperty("members").EnumerateArray()
            .Select(m => m.GetProperty("user_id").GetString()).ToArray();
        Assert.Equal(expected, members);
        var info = (await again.AckAsync("team.info", new { team_id = teamId })).GetProperty("team");
        Assert.Equal(4, info.GetProperty("member_count").GetInt32());
    }
}
