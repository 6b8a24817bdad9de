using System.Text.Json;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Teams;

/// <summary>Teams over real sockets: each operation's ack, the event every other member's socket gets, and who may do what.</summary>
public sealed class TeamTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Create_tells_every_member_and_info_shows_the_team()
    {
        var (owner, a, b) = await ThreeAsync("tc");
        var teamId = await owner.CreateTeamAsync("Hikers", [a, b], new { intro = "weekend walks", custom = new { level = 2 }, join_mode = "noVerify" });

        foreach (var member in new[] { a, b })
        {
            var created = (await member.EventAsync("createTeam", teamId)).GetProperty("data");
            Assert.Equal("Hikers", created.GetProperty("team").GetProperty("name").GetString());
            Assert.Equal(owner.UserId, created.GetProperty("team").GetProperty("owner").GetString());
            Assert.Equal(3, created.GetProperty("members").GetArrayLength());
        }

        var info = (await a.Socket.AckAsync("team.info", new { team_id = teamId })).GetProperty("team");
        Assert.Equal("weekend walks", info.GetProperty("intro").GetString());
        Assert.Equal(2, info.GetProperty("custom").GetProperty("level").GetInt32());
        Assert.Equal("noVerify", info.GetProperty("join_mode").GetString());
        Assert.Equal("manager", info.GetProperty("invite_mode").GetString());
        Assert.Equal("noVerify", info.GetProperty("be_invite_mode").GetString());
        Assert.False(info.GetProperty("mute_all").GetBoolean());
        Assert.Equal(3, info.GetProperty("member_count").GetInt32());

        // A team is a group conversation: its members chat in it as before.
        await a.Socket.AckAsync("msg.send", new { conv_id = teamId, type = -1, text = "hi team" });
        var pushed = await b.Socket.WaitForTypeAsync("msg.new", f => f.GetProperty("data").GetProperty("conv_id").GetString() == teamId);
        Assert.Equal("hi team", pushed.GetProperty("data").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Members_are_added_removed_and_leave_with_events_to_the_others()
    {
        var (owner, a, b) = await ThreeAsync("tm");
        var teamId = await owner.CreateTeamAsync("Adders", [a]);
        await a.EventAsync("createTeam", teamId);

        var added = await owner.Socket.AckAsync("team.add_members", new { team_id = teamId, user_ids = new[] { b.UserId, a.UserId } });
        Assert.Equal([b.UserId], added.GetProperty("added").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, added.GetProperty("invited").GetArrayLength());
        var addEvent = (await a.EventAsync("addTeamMembers", teamId)).GetProperty("data");
        Assert.Equal(b.UserId, addEvent.GetProperty("user_ids")[0].GetString());
        Assert.Equal(owner.UserId, addEvent.GetProperty("by").GetString());
        Assert.Equal(3, addEvent.GetProperty("team").GetProperty("member_count").GetInt32());
        await b.EventAsync("addTeamMembers", teamId);

        var page = await b.Socket.AckAsync("team.members", new { team_id = teamId, limit = 2 });
        Assert.Equal([owner.UserId, a.UserId], page.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user_id").GetString()));
        Assert.Equal("owner", page.GetProperty("members")[0].GetProperty("role").GetString());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        var rest = await b.Socket.AckAsync("team.members", new { team_id = teamId, cursor = page.GetProperty("cursor").GetString() });
        Assert.Equal([b.UserId], rest.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user_id").GetString()));
        Assert.False(rest.GetProperty("has_more").GetBoolean());

        await owner.Socket.AckAsync("team.remove_members", new { team_id = teamId, user_ids = new[] { b.UserId } });
        var removed = (await b.EventAsync("removeTeamMembers", teamId)).GetProperty("data");
        Assert.Equal("removed", removed.GetProperty("reason").GetString());
        await a.EventAsync("removeTeamMembers", teamId);
        await b.Socket.ExpectErrorAsync("team.info", new { team_id = teamId }, 4003);
        await b.Socket.ExpectErrorAsync("msg.send", new { conv_id = teamId, type = -1, text = "still here?" }, 4003);

        await a.Socket.AckAsync("team.leave", new { team_id = teamId });
        var left = (await owner.EventAsync("removeTeamMembers", teamId)).GetProperty("data");
        Assert.Equal("left", left.GetProperty("reason").GetString());
        Assert.Equal(a.UserId, left.GetProperty("user_ids")[0].GetString());
        Assert.Equal(1, (await owner.Socket.AckAsync("team.info", new { team_id = teamId })).GetProperty("team").GetProperty("member_count").GetInt32());
    }

    [Fact]
    public async Task A_normal_member_gets_codes_for_what_only_the_owner_or_managers_may_do()
    {
        var (owner, a, b) = await ThreeAsync("tp");
        var teamId = await owner.CreateTeamAsync("Strict", [a, b]);
        var team = new { team_id = teamId };

        await a.Socket.ExpectErrorAsync("team.update", new { team_id = teamId, name = "mine now" }, 4203);
        await a.Socket.ExpectErrorAsync("team.add_members", new { team_id = teamId, user_ids = new[] { owner.UserId } }, 4203);
        await a.Socket.ExpectErrorAsync("team.remove_members", new { team_id = teamId, user_ids = new[] { b.UserId } }, 4203);
        await a.Socket.ExpectErrorAsync("team.mute_member", new { team_id = teamId, user_ids = new[] { b.UserId }, mute = 1 }, 4203);
        await a.Socket.ExpectErrorAsync("team.mute_all", new { team_id = teamId, mute = true }, 4203);
        await a.Socket.ExpectErrorAsync("team.update_member", new { team_id = teamId, user_id = b.UserId, nickname = "bee" }, 4203);
        await a.Socket.ExpectErrorAsync("team.add_managers", new { team_id = teamId, user_ids = new[] { a.UserId } }, 4202);
        await a.Socket.ExpectErrorAsync("team.transfer", new { team_id = teamId, user_id = a.UserId }, 4202);
        await a.Socket.ExpectErrorAsync("team.dismiss", team, 4202);
        await owner.Socket.ExpectErrorAsync("team.leave", team, 4204);
        await owner.Socket.ExpectErrorAsync("team.remove_members", new { team_id = teamId, user_ids = new[] { owner.UserId } }, 4204);

        // Made a manager, a may manage normal members, but not the owner or another manager.
        await owner.Socket.AckAsync("team.add_managers", new { team_id = teamId, user_ids = new[] { a.UserId, b.UserId } });
        await owner.Socket.AckAsync("team.remove_managers", new { team_id = teamId, user_ids = new[] { b.UserId } });
        await a.Socket.AckAsync("team.update", new { team_id = teamId, announcement = "be nice" });
        await a.Socket.AckAsync("team.update_member", new { team_id = teamId, user_id = b.UserId, nickname = "bee" });
        await a.Socket.ExpectErrorAsync("team.mute_member", new { team_id = teamId, user_ids = new[] { owner.UserId }, mute = 1 }, 4204);
        await a.Socket.ExpectErrorAsync("team.add_managers", new { team_id = teamId, user_ids = new[] { b.UserId } }, 4202);
        await owner.Socket.AckAsync("team.add_managers", new { team_id = teamId, user_ids = new[] { b.UserId } });
        await a.Socket.ExpectErrorAsync("team.remove_members", new { team_id = teamId, user_ids = new[] { b.UserId } }, 4203);

        // Nothing the refused frames asked for happened.
        var info = (await b.Socket.AckAsync("team.info", team)).GetProperty("team");
        Assert.Equal("Strict", info.GetProperty("name").GetString());
        Assert.Equal("be nice", info.GetProperty("announcement").GetString());
        Assert.Equal(owner.UserId, info.GetProperty("owner").GetString());
        Assert.Equal(3, info.GetProperty("member_count").GetInt32());
    }

    [Fact]
    public async Task Managers_info_nicknames_and_transfer_push_their_events()
    {
        var (owner, a, b) = await ThreeAsync("te");
        var teamId = await owner.CreateTeamAsync("Eventful", [a, b]);

        await owner.Socket.AckAsync("team.add_managers", new { team_id = teamId, user_ids = new[] { a.UserId } });
        var managers = (await b.EventAsync("updateTeamManagers", teamId)).GetProperty("data");
        Assert.True(managers.GetProperty("is_manager").GetBoolean());
        Assert.Equal("manager", managers.GetProperty("members")[0].GetProperty("role").GetString());

        await a.Socket.AckAsync("team.update", new { team_id = teamId, name = "Renamed", join_mode = "rejectAll" });
        var updated = (await b.EventAsync("updateTeam", teamId)).GetProperty("data");
        Assert.Equal("Renamed", updated.GetProperty("team").GetProperty("name").GetString());
        Assert.Equal("rejectAll", updated.GetProperty("team").GetProperty("join_mode").GetString());
        Assert.Equal(a.UserId, updated.GetProperty("by").GetString());

        var own = await b.Socket.AckAsync("team.update_member", new { team_id = teamId, nickname = "Bobby" });
        Assert.Equal("Bobby", own.GetProperty("member").GetProperty("nickname").GetString());
        var member = (await owner.EventAsync("updateTeamMember", teamId)).GetProperty("data");
        Assert.Equal(b.UserId, member.GetProperty("member").GetProperty("user_id").GetString());
        Assert.Equal("Bobby", member.GetProperty("member").GetProperty("nickname").GetString());

        var transferred = await owner.Socket.AckAsync("team.transfer", new { team_id = teamId, user_id = b.UserId });
        Assert.Equal(b.UserId, transferred.GetProperty("team").GetProperty("owner").GetString());
        var transfer = (await a.EventAsync("transferTeam", teamId)).GetProperty("data");
        Assert.Equal(owner.UserId, transfer.GetProperty("from").GetString());
        Assert.Equal(b.UserId, transfer.GetProperty("to").GetString());
        await owner.Socket.ExpectErrorAsync("team.dismiss", new { team_id = teamId }, 4202);
        await owner.Socket.AckAsync("team.leave", new { team_id = teamId });

        await b.Socket.AckAsync("team.dismiss", new { team_id = teamId });
        Assert.Equal(b.UserId, (await a.EventAsync("dismissTeam", teamId)).GetProperty("data").GetProperty("by").GetString());
        await a.Socket.ExpectErrorAsync("team.info", new { team_id = teamId }, 4003);
    }

    [Fact]
    public async Task Muted_members_and_a_muted_team_cannot_send_but_managers_can()
    {
        var (owner, a, b) = await ThreeAsync("tx");
        var teamId = await owner.CreateTeamAsync("Quiet", [a, b]);
        var text = new { conv_id = teamId, type = -1, text = "may I?" };

        var muted = await owner.Socket.AckAsync("team.mute_member", new { team_id = teamId, user_ids = new[] { a.UserId }, mute = 1 });
        Assert.True(muted.GetProperty("members")[0].GetProperty("muted").GetBoolean());
        var muteEvent = (await b.EventAsync("updateTeamMembersMute", teamId)).GetProperty("data");
        Assert.True(muteEvent.GetProperty("mute").GetBoolean());
        Assert.Equal(a.UserId, muteEvent.GetProperty("user_ids")[0].GetString());
        await a.Socket.ExpectErrorAsync("msg.send", text, 4210);
        await b.Socket.AckAsync("msg.send", text);
        await owner.Socket.AckAsync("team.mute_member", new { team_id = teamId, user_ids = new[] { a.UserId }, mute = 0 });
        await a.Socket.AckAsync("msg.send", text);

        await owner.Socket.AckAsync("team.add_managers", new { team_id = teamId, user_ids = new[] { b.UserId } });
        await owner.Socket.AckAsync("team.mute_all", new { team_id = teamId, mute = true });
        Assert.True((await a.EventAsync("updateTeam", teamId)).GetProperty("data").GetProperty("team").GetProperty("mute_all").GetBoolean());
        await a.Socket.ExpectErrorAsync("msg.send", text, 4211);
        await b.Socket.AckAsync("msg.send", text);
        await owner.Socket.AckAsync("msg.send", text);
        await b.Socket.AckAsync("team.mute_all", new { team_id = teamId, mute = false });
        await a.Socket.AckAsync("msg.send", text);
    }

    [Fact]
    public async Task A_seed_003_group_is_a_team_owned_by_its_creator()
    {
        var (owner, a, b) = await ThreeAsync("tg");
        var (_, created) = await Node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = owner.UserId, to_client_ids = new[] { a.UserId }, conv_type = 3 }));
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;

        var info = (await a.Socket.AckAsync("team.info", new { team_id = convId })).GetProperty("team");
        Assert.Equal(owner.UserId, info.GetProperty("owner").GetString());
        Assert.Equal("", info.GetProperty("name").GetString());
        await a.Socket.ExpectErrorAsync("team.dismiss", new { team_id = convId }, 4202);

        // Seed 003's member API adds at once and tells the members like team.add_members does.
        await Node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/members", JsonSerializer.Serialize(new { client_ids = new[] { b.UserId } }));
        var added = (await a.EventAsync("addTeamMembers", convId)).GetProperty("data");
        Assert.Equal(b.UserId, added.GetProperty("user_ids")[0].GetString());
        Assert.Equal(JsonValueKind.Null, added.GetProperty("by").ValueKind);
        await owner.Socket.AckAsync("team.update", new { team_id = convId, name = "Named at last" });
        Assert.Equal("Named at last", (await b.EventAsync("updateTeam", convId)).GetProperty("data").GetProperty("team").GetProperty("name").GetString());

        // Seed 003's delete of a group is a dismissal for its members.
        await Node.ApiAsync(HttpMethod.Delete, $"/im/conversations/{convId}");
        Assert.Equal(JsonValueKind.Null, (await a.EventAsync("dismissTeam", convId)).GetProperty("data").GetProperty("by").ValueKind);
    }

    [Fact]
    public async Task Every_member_of_a_bigger_team_gets_the_events()
    {
        var clients = await TeamClient.ConnectManyAsync(Node, "tbig", 40);
        var owner = clients[0];
        var teamId = await owner.CreateTeamAsync("Forty", clients[1..30]);
        await owner.Socket.AckAsync("team.add_members", new { team_id = teamId, user_ids = clients[30..].Select(c => c.UserId).ToArray() });
        await owner.Socket.AckAsync("team.update", new { team_id = teamId, announcement = "all here" });

        foreach (var member in clients[1..])
        {
            var added = (await member.EventAsync("addTeamMembers", teamId)).GetProperty("data");
            Assert.Equal(40, added.GetProperty("team").GetProperty("member_count").GetInt32());
            Assert.Equal(10, added.GetProperty("user_ids").GetArrayLength());
            Assert.Equal("all here", (await member.EventAsync("updateTeam", teamId)).GetProperty("data").GetProperty("team").GetProperty("announcement").GetString());
        }
        foreach (var client in clients) await client.DisposeAsync();
    }

    private async Task<(TeamClient Owner, TeamClient A, TeamClient B)> ThreeAsync(string prefix)
    {
        var clients = await TeamClient.ConnectManyAsync(Node, prefix, 3);
        return (clients[0], clients[1], clients[2]);
    }
}
