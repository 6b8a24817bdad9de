using System.Net;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using Xunit;

namespace OrleansIm.Tests.Recall;

/// <summary>
/// ImGrains:RecallWindow from the node's settings. A window of zero (senders may not recall at all) puts every message
/// past it, so the test needs no clock: the sender gets 4103, the server API still recalls.
/// </summary>
public sealed class RecallWindowTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await TestNode.StartAsync(new Dictionary<string, string?> { ["ImGrains:RecallWindow"] = "00:00:00" });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Past_the_window_the_sender_gets_4103_and_the_server_api_still_recalls()
    {
        var (_, tokens, convId) = await ChatSetup.GroupAsync(_node, 2);
        await using var alice = await _node.ConnectAsync(tokens[0]);
        await using var bob = await _node.ConnectAsync(tokens[1]);
        await ChatSetup.SendAsync(alice, convId, 1);

        await alice.ExpectErrorAsync("msg.recall", new { conv_id = convId, seq = 1 }, ImErrorCodes.RecallWindowPassed);
        Assert.False((await alice.AckAsync("msg.history", new { conv_id = convId })).GetProperty("messages")[0].GetProperty("recalled").GetBoolean());

        var (status, body) = await _node.ApiAsync(HttpMethod.Post, $"/im/conversations/{convId}/message/recall", """{"seq":1}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("data").GetProperty("recalled").GetBoolean());
        await bob.WaitForTypeAsync("sysMsg");
    }
}
