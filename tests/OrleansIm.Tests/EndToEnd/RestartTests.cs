using System.Net;
using System.Text.Json;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

public sealed class RestartTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Restarted_node_keeps_conversations_history_and_old_tokens()
    {
        var a = NodeFixture.NewUserId("keep");
        var b = NodeFixture.NewUserId("keep");
        var tokenA = await _node.LoginAsync(a);
        await _node.LoginAsync(b);
        var (_, created) = await _node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = a, to_client_ids = new[] { b }, conv_type = 3, conv_extend = new { conv_name = "durable" } }));
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;
        await using (var socket = await _node.ConnectAsync(tokenA))
        {
            for (var i = 1; i <= 3; i++) await socket.AckAsync("msg.send", new { conv_id = convId, type = -1, text = $"before restart {i}" });
        }

        await _node.RestartAsync();

        var (status, query) = await _node.ApiAsync(HttpMethod.Get, "/im/conversations?where=" + Uri.EscapeDataString($"[[\"conv_id\",\"=\",\"{convId}\"]]"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("durable", query.GetProperty("data").GetProperty("data")[0].GetProperty("conv_extend").GetProperty("conv_name").GetString());

        await using var again = await _node.ConnectAsync(tokenA);
        var history = await again.AckAsync("msg.history", new { conv_id = convId });
        Assert.Equal(3, history.GetProperty("total").GetInt32());
        Assert.Equal("before restart 3", history.GetProperty("messages")[0].GetProperty("text").GetString());
        var ack = await again.AckAsync("msg.send", new { conv_id = convId, type = -1, text = "after restart" });
        Assert.Equal(4, ack.GetProperty("seq").GetInt64());
    }
}
