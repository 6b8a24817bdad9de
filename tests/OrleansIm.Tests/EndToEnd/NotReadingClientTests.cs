using System.Net.WebSockets;
using System.Text.Json;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Gateway.Stomp;
using OrleansIm.Tests.Stomp;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// A client that asks for a lot and never reads cannot grow the node's memory: its outgoing queue stops at
/// Gateway:OutgoingQueueBytes (the queue's own accounting says so), and it is disconnected, with close 1008 if it
/// reads again (both dialects), or aborted once a send stalls for Gateway:SendTimeout.
/// </summary>
public sealed class NotReadingClientTests
{
    private const int QueueBytes = 2 * 1024 * 1024;
    private const int Requests = 200;
    private const int MessagesPerReply = 20;

    // \u0001 is escaped to six bytes: a 5000-character text is a 30 KB row, a reply of 20 rows about 600 KB.
    private static readonly string BigText = new('\u0001', 5000);

    [Fact]
    public async Task A_ws_client_that_stops_reading_gets_close_1008_and_its_queue_stays_within_its_byte_limit()
    {
        await using var node = await StartNodeAsync(sendTimeout: "00:05:00");
        var (reader, convId) = await ConversationWithBigMessagesAsync(node);
        await using var client = await NonReadingClient.ConnectAsync(node.WsUri, o => { o.SetRequestHeader("token", reader); o.SetRequestHeader("deviceType", "im_web"); });
        var connection = await ConnectionOfAsync(node);

        for (var i = 0; i < Requests; i++)
            await client.SendTextAsync(JsonSerializer.Serialize(new { type = "msg.history", id = i, data = new { conv_id = convId, after_seq = 0, limit = MessagesPerReply } }));

        await Eventually.True(() => connection.Outgoing.CloseCode == WebSocketCloseCodes.NotReading, TimeSpan.FromSeconds(60), "the queue overflowed");
        // 200 replies of ~600 KB were asked for; the queue never held more than its limit, and dropped what it held.
        Assert.InRange(connection.Outgoing.PeakQueuedBytes, 1, QueueBytes);
        Assert.InRange(connection.Outgoing.QueuedBytes, 0, MessagesPerReply * 31 * 1024);

        // The client reads again: what was already on the wire, then the close.
        await using var socket = new ImSocket(client.Socket);
        Assert.Equal((WebSocketCloseStatus)WebSocketCloseCodes.NotReading, await socket.WaitClosedAsync(TimeSpan.FromSeconds(30)));
        await Eventually.True(() => Connections(node).Count == 0, TimeSpan.FromSeconds(30), "the connection ended");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_ws_client_that_never_reads_is_disconnected_and_its_queued_bytes_are_freed(bool directUpgrades)
    {
        // Both upgrade routes: the stalled send must be released whichever stream the socket writes to.
        await using var node = await StartNodeAsync(sendTimeout: "00:00:01", new() { ["Gateway:DirectUpgrades"] = directUpgrades ? "true" : "false" });
        var (reader, convId) = await ConversationWithBigMessagesAsync(node);
        await using var client = await NonReadingClient.ConnectAsync(node.WsUri, o => { o.SetRequestHeader("token", reader); o.SetRequestHeader("deviceType", "im_web"); });
        var connection = await ConnectionOfAsync(node);

        for (var i = 0; i < Requests; i++)
            await client.SendTextAsync(JsonSerializer.Serialize(new { type = "msg.sync", id = i, data = new { cursors = new Dictionary<string, long> { [convId] = 0 }, limit = MessagesPerReply } }));

        await Eventually.True(() => Connections(node).Count == 0, TimeSpan.FromSeconds(60), "the connection ended");
        Assert.InRange(connection.Outgoing.PeakQueuedBytes, 1, QueueBytes);
        Assert.Equal(0, connection.Outgoing.QueuedBytes);
    }

    [Fact]
    public async Task A_stomp_client_that_stops_reading_gets_an_error_and_close_1008()
    {
        // Forty 1000-character STUN URLs: every TURN credentials answer is about 80 KB.
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < 40; i++) settings[$"Turn:Urls:{i}"] = $"stun:{new string('h', 990)}{i:D3}.example:3478";
        await using var node = await StartNodeAsync(sendTimeout: "00:05:00", settings);
        var user = NodeFixture.NewUserId("slow");
        var token = await node.LoginAsync(user);
        var uri = new UriBuilder(node.BaseUri) { Scheme = "ws", Path = StompEndpoint.Path, Query = $"userId={user}" }.Uri;
        await using var client = await NonReadingClient.ConnectAsync(uri, o => o.AddSubProtocol("v12.stomp"));

        await client.SendTextAsync($"CONNECT\naccept-version:1.2\nide:{token}\n\n\0");
        await client.SendTextAsync($"SUBSCRIBE\nid:turn\ndestination:{StompDestinations.TurnCredentials}\n\n\0");
        var connection = await ConnectionOfAsync(node);
        for (var i = 0; i < Requests; i++)
            await client.SendTextAsync($"SEND\ndestination:{StompDestinations.AppTurnCredentials}\ncontent-type:application/json\n\n{{}}\0");

        await Eventually.True(() => connection.Outgoing.CloseCode == WebSocketCloseCodes.NotReading, TimeSpan.FromSeconds(60), "the queue overflowed");
        Assert.InRange(connection.Outgoing.PeakQueuedBytes, 1, QueueBytes);

        await using var stomp = StompTestClient.Attach(client.Socket);
        StompFrame frame;
        do frame = await stomp.NextAsync(TimeSpan.FromSeconds(30));
        while (frame.Command != StompCommands.Error);
        Assert.Contains("not read", frame[StompHeaders.Message]);
        Assert.Equal((WebSocketCloseStatus)WebSocketCloseCodes.NotReading, await stomp.WaitClosedAsync());
    }

    private static Task<TestNode> StartNodeAsync(string sendTimeout, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:OutgoingQueueBytes"] = QueueBytes.ToString(),
            ["Gateway:SendTimeout"] = sendTimeout,
        };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return TestNode.StartAsync(settings);
    }

    /// <summary>A conversation of 20 big messages; returns the token of a member who has not connected yet.</summary>
    private static async Task<(string Token, string ConvId)> ConversationWithBigMessagesAsync(TestNode node)
    {
        var writer = NodeFixture.NewUserId("slow");
        var reader = NodeFixture.NewUserId("slow");
        var writerToken = await node.LoginAsync(writer);
        var readerToken = await node.LoginAsync(reader);
        var (_, created) = await node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = writer, to_client_ids = new[] { reader }, conv_type = 2 }));
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;
        await using var socket = await node.ConnectAsync(writerToken);
        for (var i = 0; i < MessagesPerReply; i++) await socket.AckAsync("msg.send", new { conv_id = convId, type = -1, text = BigText });
        await socket.DisposeAsync();
        await Eventually.True(() => Connections(node).Count == 0, because: "the writer left");
        return (readerToken, convId);
    }

    private static IReadOnlyList<IGatewayConnection> Connections(TestNode node) =>
        node.Services.GetRequiredService<ConnectionManager>().Snapshot();

    /// <summary>The one live connection of the node (each test starts its own node).</summary>
    private static async Task<IGatewayConnection> ConnectionOfAsync(TestNode node)
    {
        await Eventually.True(() => Connections(node).Count == 1, because: "the client is connected");
        return Connections(node)[0];
    }
}
