using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Teams;

/// <summary>The login sync's <c>teams</c> and <c>myTeamMembers</c>: the user's teams and their own record in each.</summary>
public sealed class TeamSyncTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Sync_sends_my_teams_and_my_member_records_and_leaves_other_conversations_out()
    {
        var (owner, me) = (await TeamClient.ConnectAsync(Node, "ts"), await TeamClient.ConnectAsync(Node, "ts"));
        var first = await owner.CreateTeamAsync("First", [me]);
        var second = await me.CreateTeamAsync("Second", [owner]);
        var left = await owner.CreateTeamAsync("Left", [me]);
        await owner.Socket.AckAsync("team.add_managers", new { team_id = first, user_ids = new[] { me.UserId } });
        await me.Socket.AckAsync("team.update_member", new { team_id = first, nickname = "Me!" });
        await me.Socket.AckAsync("team.leave", new { team_id = left });
        await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = owner.UserId, to_client_ids = new[] { me.UserId }, conv_type = 2 }));

        await using var socket = await Node.ConnectAsync(me.Token, "im_pc_mac");
        var done = await socket.RequestAsync("sync", new { });
        Assert.Equal("syncdone", done.GetProperty("type").GetString());
        Assert.DoesNotContain("teams", done.GetProperty("data").GetProperty("skipped").EnumerateArray().Select(s => s.GetString()));
        Assert.False(done.GetProperty("data").GetProperty("teams_more").GetBoolean());

        var teams = (await socket.WaitForTypeAsync("teams")).GetProperty("data");
        var names = teams.GetProperty("teams").EnumerateArray().ToDictionary(t => t.GetProperty("team_id").GetString()!, t => t.GetProperty("name").GetString());
        Assert.Equal(new Dictionary<string, string?> { [first] = "First", [second] = "Second" }, names);
        Assert.False(teams.GetProperty("has_more").GetBoolean());

        var mine = (await socket.WaitForTypeAsync("myTeamMembers")).GetProperty("data").GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("team_id").GetString()!);
        Assert.Equal(2, mine.Count);
        Assert.Equal("manager", mine[first].GetProperty("role").GetString());
        Assert.Equal("Me!", mine[first].GetProperty("nickname").GetString());
        Assert.Equal("owner", mine[second].GetProperty("role").GetString());
        Assert.All(mine.Values, m => Assert.Equal(me.UserId, m.GetProperty("user_id").GetString()));

        var off = await socket.RequestAsync("sync", new { teams = false, myTeamMembers = 0 });
        Assert.Equal("syncdone", off.GetProperty("type").GetString());
        await socket.PingAsync();
        await Assert.ThrowsAsync<TimeoutException>(() => socket.WaitForTypeAsync("teams", null, TimeSpan.FromMilliseconds(300)));
    }
}
