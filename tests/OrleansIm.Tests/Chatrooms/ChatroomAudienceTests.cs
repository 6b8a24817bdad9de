using System.Diagnostics;
using OrleansIm.Tests.EndToEnd;
using Xunit;
using Xunit.Abstractions;
using static OrleansIm.Tests.Chatrooms.ChatroomClient;

namespace OrleansIm.Tests.Chatrooms;

/// <summary>
/// A big room over real sockets: every connection in it gets a message. 300 connections by default;
/// ORLEANSIM_CHATROOM_AUDIENCE=3000 runs the few-thousand case by hand (figures in docs/performance.md).
/// </summary>
public sealed class ChatroomAudienceTests(ITestOutputHelper output)
{
    private const int ParallelSetups = 32;

    [Fact]
    public async Task A_message_reaches_every_connection_of_a_big_room()
    {
        var audience = int.TryParse(Environment.GetEnvironmentVariable("ORLEANSIM_CHATROOM_AUDIENCE"), out var n) && n > 1 ? n : 300;
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Error" });
        var sender = NodeFixture.NewUserId("snd");
        await using var senderSocket = await node.ConnectAsync(await node.LoginAsync(sender));
        var room = await CreateAsync(node, sender);
        await EnterAsync(senderSocket, room);

        var setup = Stopwatch.StartNew();
        var listeners = new ChatroomListener[audience];
        var prefix = NodeFixture.NewUserId("aud");
        await Parallel.ForEachAsync(Enumerable.Range(0, audience), new ParallelOptions { MaxDegreeOfParallelism = ParallelSetups }, async (i, _) =>
        {
            listeners[i] = await ChatroomListener.ConnectAsync(node, await node.LoginAsync($"{prefix}_{i}"));
            await listeners[i].EnterAsync(room);
        });
        output.WriteLine($"{audience} connections logged in, connected and entered in {setup.Elapsed.TotalSeconds:F1} s");
        try
        {
            var info = await InfoAsync(senderSocket, room);
            Assert.Equal(audience + 1, info.GetProperty("online").GetInt32());

            var delivery = Stopwatch.StartNew();
            var waits = listeners.Select(l => l.WaitForMessageAsync(room, "to everyone")).ToArray();
            await SendAsync(senderSocket, room, "to everyone");
            await Task.WhenAll(waits);
            output.WriteLine($"one message reached all {audience} in {delivery.Elapsed.TotalMilliseconds:F0} ms (send to last receipt)");

            // And a burst in order to every one of them.
            var burst = Stopwatch.StartNew();
            var lastWaits = listeners.Select(l => l.WaitForMessageAsync(room, "burst 9")).ToArray();
            for (var i = 0; i < 10; i++) await senderSocket.SendTextAsync(System.Text.Json.JsonSerializer.Serialize(new { type = "msg.send", id = $"b{i}", data = new { conv_id = room, type = -1, text = $"burst {i}" } }));
            await Task.WhenAll(lastWaits);
            output.WriteLine($"10 pipelined messages reached all {audience} in {burst.Elapsed.TotalMilliseconds:F0} ms");
        }
        finally
        {
            await Parallel.ForEachAsync(listeners.Where(l => l is not null), new ParallelOptions { MaxDegreeOfParallelism = ParallelSetups }, async (l, _) => await l.DisposeAsync());
        }
    }
}
