using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Relations;

/// <summary>The login sync's relations, friends and users (friendUsers) sections over a real socket.</summary>
public sealed class RelationSyncTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task The_login_sync_sends_relations_friends_and_friends_name_cards_before_syncdone()
    {
        var a = NodeFixture.NewUserId("sy");
        var b = NodeFixture.NewUserId("sy");
        var c = NodeFixture.NewUserId("sy");
        var tokenA = await Node.LoginAsync(a);
        await Node.LoginAsync(b, "Bob Card");
        await Node.LoginAsync(c);
        await using (var setup = await Node.ConnectAsync(tokenA))
        {
            await setup.AckAsync("friend.add", new { account = b });
            await setup.AckAsync("friend.update", new { account = b, alias = "B" });
            await setup.AckAsync("relation.black", new { account = c, add = true });
            await setup.AckAsync("relation.mute", new { account = b, add = true });
        }

        await using var socket = await Node.ConnectAsync(tokenA, "im_app_ios");
        var done = await socket.AckAsync("sync", new { friends = true, friendUsers = true, relations = true, sessions = false, offlineMsgs = false }, "syncdone");
        Assert.Equal(0, done.GetProperty("skipped").GetArrayLength());
        Assert.False(done.GetProperty("friend_users_more").GetBoolean());

        string[] sections = ["relations", "friends", "syncMyNameCard", "users"];
        var order = new List<string>();
        for (var i = 0; i < sections.Length; i++)
        {
            var frame = await socket.WaitForAsync(f => sections.Contains(f.GetProperty("type").GetString()));
            var type = frame.GetProperty("type").GetString()!;
            order.Add(type);
            var data = frame.GetProperty("data");
            switch (type)
            {
                case "relations":
                    Assert.Equal(c, data.GetProperty("blacklist")[0].GetProperty("account").GetString());
                    Assert.Equal(b, data.GetProperty("mutelist")[0].GetProperty("account").GetString());
                    Assert.Equal(0, data.GetProperty("muted_sessions").GetArrayLength());
                    break;
                case "friends":
                    Assert.Equal(b, data.GetProperty("friends")[0].GetProperty("account").GetString());
                    Assert.Equal("B", data.GetProperty("friends")[0].GetProperty("alias").GetString());
                    break;
                case "users":
                    Assert.Equal("Bob Card", data.GetProperty("users").EnumerateArray().Single().GetProperty("nickname").GetString());
                    break;
            }
        }
        Assert.Equal(sections, order);
    }

    [Fact]
    public async Task The_sections_are_on_by_default_and_can_be_turned_off()
    {
        var a = NodeFixture.NewUserId("sd");
        await using var socket = await Node.ConnectAsync(await Node.LoginAsync(a));
        await socket.AckAsync("sync", new { sessions = false, offlineMsgs = false }, "syncdone");
        Assert.Equal(0, (await socket.WaitForTypeAsync("friends")).GetProperty("data").GetProperty("friends").GetArrayLength());
        Assert.Equal(0, (await socket.WaitForTypeAsync("relations")).GetProperty("data").GetProperty("blacklist").GetArrayLength());
        Assert.Equal(0, (await socket.WaitForTypeAsync("users")).GetProperty("data").GetProperty("users").GetArrayLength());

        await socket.AckAsync("sync", new { friends = false, friendUsers = false, relations = false, myInfo = false, sessions = false, offlineMsgs = false }, "syncdone");
        // Nothing but syncdone came for the second sync: the next reply is a pong, with no section frame queued before it.
        await socket.PingAsync();
        await Assert.ThrowsAsync<TimeoutException>(() => socket.WaitForAsync(
            f => f.GetProperty("type").GetString() is "friends" or "relations" or "users", TimeSpan.FromMilliseconds(200)));
    }
}
