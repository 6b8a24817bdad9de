using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Teams;

/// <summary>Invitations (be_invite_mode needVerify) and applications (join_mode) through system notifications.</summary>
public sealed class TeamRequestTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task An_invitee_accepts_or_rejects_the_teamInvite_notification()
    {
        var (owner, a, b) = await ThreeAsync("ti");
        var teamId = await owner.CreateTeamAsync("Invite only", [], new { be_invite_mode = "needVerify" });

        var sent = await owner.Socket.AckAsync("team.add_members", new { team_id = teamId, user_ids = new[] { a.UserId, b.UserId }, ps = "come along" });
        Assert.Equal(0, sent.GetProperty("added").GetArrayLength());
        Assert.Equal(2, sent.GetProperty("invited").GetArrayLength());
        var invite = await NotificationAsync(a, "teamInvite", teamId);
        Assert.Equal(owner.UserId, invite.GetProperty("from").GetString());
        Assert.Equal("come along", invite.GetProperty("ps").GetString());
        Assert.Equal("Invite only", invite.GetProperty("attach").GetProperty("team").GetProperty("name").GetString());
        await a.Socket.ExpectErrorAsync("team.info", new { team_id = teamId }, 4003); // invited is not joined

        var id = invite.GetProperty("id").GetInt64();
        var joined = await a.Socket.AckAsync("team.accept_invite", new { team_id = teamId, sysmsg_id = id });
        Assert.Equal(2, joined.GetProperty("team").GetProperty("member_count").GetInt32());
        Assert.Equal(a.UserId, (await owner.EventAsync("addTeamMembers", teamId)).GetProperty("data").GetProperty("user_ids")[0].GetString());
        Assert.Equal("passed", await StateAsync(a, id));
        await a.Socket.ExpectErrorAsync("team.accept_invite", new { team_id = teamId, sysmsg_id = id }, 4212);

        var other = await NotificationAsync(b, "teamInvite", teamId);
        await b.Socket.ExpectErrorAsync("team.accept_invite", new { team_id = teamId, sysmsg_id = other.GetProperty("id").GetInt64() + 1000 }, 4212);
        await b.Socket.AckAsync("team.reject_invite", new { team_id = teamId, sysmsg_id = other.GetProperty("id").GetInt64(), ps = "no thanks" });
        var rejected = await NotificationAsync(owner, "rejectTeamInvite", teamId);
        Assert.Equal(b.UserId, rejected.GetProperty("from").GetString());
        Assert.Equal("no thanks", rejected.GetProperty("ps").GetString());
        Assert.Equal("rejected", await StateAsync(b, other.GetProperty("id").GetInt64()));
        await b.Socket.ExpectErrorAsync("team.info", new { team_id = teamId }, 4003);
    }

    [Fact]
    public async Task Applications_follow_the_join_mode_and_owner_or_managers_decide()
    {
        var clients = await TeamClient.ConnectManyAsync(Node, "ta", 5);
        var (owner, manager, c, d, e) = (clients[0], clients[1], clients[2], clients[3], clients[4]);
        var teamId = await owner.CreateTeamAsync("Apply here", [manager]);
        await owner.Socket.AckAsync("team.add_managers", new { team_id = teamId, user_ids = new[] { manager.UserId } });

        var applied = await c.Socket.AckAsync("team.apply", new { team_id = teamId, ps = "let me in" });
        Assert.False(applied.GetProperty("joined").GetBoolean());
        var toOwner = await NotificationAsync(owner, "applyTeam", teamId);
        var toManager = await NotificationAsync(manager, "applyTeam", teamId);
        Assert.Equal(c.UserId, toManager.GetProperty("from").GetString());
        Assert.Equal("let me in", toManager.GetProperty("ps").GetString());

        await manager.Socket.AckAsync("team.pass_apply", new { team_id = teamId, sysmsg_id = toManager.GetProperty("id").GetInt64() });
        Assert.Equal(c.UserId, (await c.EventAsync("addTeamMembers", teamId)).GetProperty("data").GetProperty("user_ids")[0].GetString());
        Assert.Equal("passed", await StateAsync(manager, toManager.GetProperty("id").GetInt64()));
        // The owner's copy of the same application is moot now.
        await owner.Socket.ExpectErrorAsync("team.pass_apply", new { team_id = teamId, sysmsg_id = toOwner.GetProperty("id").GetInt64() }, 4205);
        Assert.Equal("invalid", await StateAsync(owner, toOwner.GetProperty("id").GetInt64()));
        await c.Socket.ExpectErrorAsync("team.apply", new { team_id = teamId }, 4205);

        await d.Socket.AckAsync("team.apply", new { team_id = teamId });
        var fromD = await NotificationAsync(owner, "applyTeam", teamId, d.UserId);
        await c.Socket.ExpectErrorAsync("team.pass_apply", new { team_id = teamId, sysmsg_id = fromD.GetProperty("id").GetInt64() }, 4203);
        await owner.Socket.AckAsync("team.reject_apply", new { team_id = teamId, sysmsg_id = fromD.GetProperty("id").GetInt64(), ps = "full" });
        var rejected = await NotificationAsync(d, "rejectTeamApply", teamId);
        Assert.Equal("full", rejected.GetProperty("ps").GetString());
        await d.Socket.ExpectErrorAsync("team.info", new { team_id = teamId }, 4003);

        await owner.Socket.AckAsync("team.update", new { team_id = teamId, join_mode = "noVerify" });
        Assert.True((await e.Socket.AckAsync("team.apply", new { team_id = teamId })).GetProperty("joined").GetBoolean());
        await e.Socket.AckAsync("team.info", new { team_id = teamId });
        await owner.Socket.AckAsync("team.update", new { team_id = teamId, join_mode = "rejectAll" });
        await d.Socket.ExpectErrorAsync("team.apply", new { team_id = teamId }, 4207);

        var (_, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = owner.UserId, to_client_ids = new[] { c.UserId }, conv_type = 1 }));
        await d.Socket.ExpectErrorAsync("team.apply", new { team_id = created.GetProperty("data").GetProperty("conv_id").GetString() }, 4004);
        await d.Socket.ExpectErrorAsync("team.apply", new { team_id = Guid.NewGuid().ToString("N") }, 4004);
    }

    /// <summary>The live sysMsg of this type about the team (from <paramref name="from"/> when given).</summary>
    private static async Task<JsonElement> NotificationAsync(TeamClient client, string type, string teamId, string? from = null) =>
        (await client.Socket.WaitForTypeAsync("sysMsg", f =>
        {
            var data = f.GetProperty("data");
            return data.TryGetProperty("target_id", out var target) && target.GetString() == teamId
                && data.GetProperty("type").GetString() == type
                && (from is null || data.GetProperty("from").GetString() == from);
        })).GetProperty("data");

    private static async Task<string?> StateAsync(TeamClient client, long id)
    {
        var list = await client.Socket.AckAsync("sysmsg.list", new { limit = 100 });
        return list.GetProperty("sysMsgs").EnumerateArray().Single(n => n.GetProperty("id").GetInt64() == id).GetProperty("state").GetString();
    }

    private async Task<(TeamClient Owner, TeamClient A, TeamClient B)> ThreeAsync(string prefix)
    {
        var clients = await TeamClient.ConnectManyAsync(Node, prefix, 3);
        return (clients[0], clients[1], clients[2]);
    }
}
