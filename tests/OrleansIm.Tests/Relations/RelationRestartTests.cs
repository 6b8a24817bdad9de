using System.Text.Json;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Relations;

/// <summary>Relations and the private conversation's copy of the black list are persisted: they hold after the node restarts.</summary>
public sealed class RelationRestartTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Friends_lists_and_the_block_survive_a_restart()
    {
        var a = NodeFixture.NewUserId("keep");
        var b = NodeFixture.NewUserId("keep");
        var c = NodeFixture.NewUserId("keep");
        var tokenA = await _node.LoginAsync(a);
        var tokenB = await _node.LoginAsync(b);
        await _node.LoginAsync(c);
        var (_, created) = await _node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { c }, conv_type = 1 }));
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;
        await using (var alice = await _node.ConnectAsync(tokenA))
        {
            await alice.AckAsync("friend.add", new { account = b });
            await alice.AckAsync("friend.update", new { account = b, alias = "kept" });
            await alice.AckAsync("relation.black", new { account = c, add = true });
            await alice.AckAsync("relation.mute_session", new { conv_id = convId, add = true });
        }

        await _node.RestartAsync();

        await using var again = await _node.ConnectAsync(tokenA);
        var friends = (await again.AckAsync("friend.list")).GetProperty("friends");
        Assert.Equal(b, friends[0].GetProperty("account").GetString());
        Assert.Equal("kept", friends[0].GetProperty("alias").GetString());
        var lists = await again.AckAsync("relation.list");
        Assert.Equal(c, lists.GetProperty("blacklist")[0].GetProperty("account").GetString());
        Assert.Equal(convId, lists.GetProperty("muted_sessions")[0].GetProperty("conv_id").GetString());
        await using var bob = await _node.ConnectAsync(tokenB);
        Assert.Equal(a, (await bob.AckAsync("friend.list")).GetProperty("friends")[0].GetProperty("account").GetString());

        var (_, refused) = await _node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message",
            JsonSerializer.Serialize(new { from_client = c, type = -1, text = "after restart" }));
        Assert.Equal(ImErrorCodes.BlockedByRecipient, refused.GetProperty("code").GetInt32());
    }
}
