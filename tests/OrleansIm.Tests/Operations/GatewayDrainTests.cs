using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Gateway.Stomp;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Tests.EndToEnd;
using OrleansIm.Tests.Stomp;
using Xunit;

namespace OrleansIm.Tests.Operations;

/// <summary>
/// The graceful drain of a standalone node (gateway co-hosted with its silo) stopped under traffic: every socket
/// of both dialects is told to reconnect (server.drain / ERROR, close 4503) before the deadline, every acked
/// message survives a restart exactly once, and a client that resends what was not acked (same client_msg_id)
/// gets no duplicate. Also: while draining, readiness fails and new upgrades and requests get 503.
/// </summary>
public sealed class GatewayDrainTests
{
    private const int Senders = 4;

    [Fact]
    public async Task Stopping_under_traffic_drains_every_socket_with_4503_and_loses_no_acked_message()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Gateway:DrainTimeout"] = "00:00:10" });
        var users = new List<(string Id, string Token)>();
        for (var i = 0; i < Senders; i++)
        {
            var id = NodeFixture.NewUserId("drain" + i);
            users.Add((id, await node.LoginAsync(id)));
        }
        var (status, created) = await node.ApiAsync(HttpMethod.Post, "/im/conversations",
            JsonSerializer.Serialize(new { client_id = users[0].Id, to_client_ids = users.Skip(1).Select(u => u.Id).ToArray(), conv_type = 2 }));
        Assert.Equal(HttpStatusCode.OK, status);
        var convId = created.GetProperty("data").GetProperty("conv_id").GetString()!;

        var sockets = new List<ImSocket>();
        foreach (var (_, token) in users) sockets.Add(await node.ConnectAsync(token));
        var stomp = await StompTestClient.OpenAsync(node.BaseUri, "");
        Assert.Equal("CONNECTED", (await stomp.ConnectAsync(users[0].Token, DeviceTypes.Windows)).Command);
        var connections = node.Services.GetRequiredService<ConnectionManager>();
        Assert.Equal(Senders + 1, connections.Count);

        // Each sender sends one message after another until its socket goes; stop once every one has been acked twice.
        var ackCounts = new int[Senders];
        var senders = sockets.Select((socket, i) => SendUntilClosedAsync(socket, convId, "s" + i, () => Interlocked.Increment(ref ackCounts[i]))).ToList();
        await Eventually.True(() => Enumerable.Range(0, Senders).All(i => Volatile.Read(ref ackCounts[i]) >= 2), TimeSpan.FromSeconds(30), "every sender got acks");

        await node.RestartAsync();

        Assert.True(connections.DrainedBeforeDeadline, "every connection closed before Gateway:DrainTimeout");
        Assert.Equal(0, connections.Count);
        var outcomes = await Task.WhenAll(senders);
        foreach (var socket in sockets)
        {
            Assert.Equal((WebSocketCloseStatus)WebSocketCloseCodes.Draining, await socket.WaitClosedAsync());
            var drain = await socket.WaitForTypeAsync(ServerFrames.ServerDrain);
            Assert.InRange(drain.GetProperty("data").GetProperty(ServerFrames.ReconnectAfterMs).GetInt32(), 0, ConnectionManager.MaxReconnectAfterMs);
        }
        var error = await stomp.NextAsync();
        Assert.Equal("ERROR", error.Command);
        Assert.Equal(StompErrors.DrainingMessage, error["message"]);
        Assert.NotNull(error[StompHeaders.ReconnectAfterMs]);
        Assert.Equal((WebSocketCloseStatus)WebSocketCloseCodes.Draining, await stomp.WaitClosedAsync());
        await stomp.DisposeAsync();
        foreach (var socket in sockets) await socket.DisposeAsync();

        // Back on the restarted node, as a client reconnecting elsewhere would: resend what was not acked (same
        // client_msg_id), then msg.sync from 0. Every acked message is there once, with the msg_id its ack gave.
        var acked = outcomes.SelectMany(o => o.Acked).ToDictionary(a => a.ClientMsgId, a => a.MsgId);
        Assert.True(acked.Count >= Senders, $"traffic flowed before the drain ({acked.Count} acks)");
        await using var again = await node.ConnectAsync(users[0].Token);
        foreach (var unacked in outcomes.Select(o => o.Unacked).OfType<string>())
            await again.AckAsync("msg.send", new { conv_id = convId, client_msg_id = unacked, type = -1, text = unacked });
        var stored = new List<(string ClientMsgId, string MsgId)>();
        long cursor = 0;
        while (true)
        {
            var sync = await again.AckAsync("msg.sync", new { cursors = new Dictionary<string, long> { [convId] = cursor }, limit = 100 });
            var conversation = sync.GetProperty("conversations")[0];
            foreach (var m in conversation.GetProperty("messages").EnumerateArray())
            {
                stored.Add((m.GetProperty("client_msg_id").GetString()!, m.GetProperty("msg_id").GetString()!));
                cursor = m.GetProperty("seq").GetInt64();
            }
            if (!conversation.GetProperty("has_more").GetBoolean()) break;
        }
        Assert.Equal(stored.Count, stored.Select(s => s.ClientMsgId).Distinct().Count());
        foreach (var (clientMsgId, msgId) in acked) Assert.Contains((clientMsgId, msgId), stored);
        Assert.Equal(acked.Count + outcomes.Count(o => o.Unacked is not null), stored.Count);
    }

    [Fact]
    public async Task While_draining_readiness_fails_and_new_upgrades_and_requests_get_503_but_open_sockets_still_work()
    {
        await using var node = await TestNode.StartAsync();
        var user = NodeFixture.NewUserId("gate");
        var token = await node.LoginAsync(user);
        await using var open = await node.ConnectAsync(token);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/health/ready")).StatusCode);

        node.Services.GetRequiredService<ConnectionManager>().BeginDrain();

        using var ready = await node.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("gateway-drain", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/health/live")).StatusCode);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await node.FailedHandshakeStatusAsync(token, "im_app_ios"));
        using var stomp = new ClientWebSocket();
        stomp.Options.CollectHttpResponseDetails = true;
        var stompUri = new UriBuilder(node.BaseUri) { Scheme = "ws", Path = StompEndpoint.Path }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => stomp.ConnectAsync(stompUri, CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stomp.HttpStatusCode);

        var (status, body) = await node.PostLoginAsync(new { id = user, nickname = user, device = "im_web" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(ImErrorCodes.Unavailable, body.GetProperty("code").GetInt32());

        // Marked draining but not yet told to go: the open socket is served until its turn comes.
        await open.PingAsync();
    }

    private sealed record SenderOutcome(List<(string ClientMsgId, string MsgId)> Acked, string? Unacked);

    /// <summary>Sends until the socket closes; returns what was acked and the one send (if any) left without an ack.</summary>
    private static async Task<SenderOutcome> SendUntilClosedAsync(ImSocket socket, string convId, string prefix, Action onAck)
    {
        var acked = new List<(string, string)>();
        for (var i = 0; ; i++)
        {
            var clientMsgId = $"{prefix}-{i}";
            JsonElement reply;
            try
            {
                reply = await socket.RequestAsync("msg.send", new { conv_id = convId, client_msg_id = clientMsgId, type = -1, text = clientMsgId });
            }
            catch (Exception e) when (e is TimeoutException or WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                return new(acked, clientMsgId); // The socket closed before an answer: unknown, resend.
            }
            if (reply.GetProperty("type").GetString() == "msg.send.ack")
            {
                acked.Add((clientMsgId, reply.GetProperty("data").GetProperty("msg_id").GetString()!));
                onAck();
                continue;
            }
            // Refused while draining (5030, "not handled"): resend on the next gateway.
            Assert.Equal(ImErrorCodes.Unavailable, reply.GetProperty("code").GetInt32());
            return new(acked, clientMsgId);
        }
    }
}
