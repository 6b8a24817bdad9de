using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansIm.Runtime;
using OrleansIm.Runtime.Messaging;
using OrleansIm.Runtime.Transport;
using Xunit;

namespace OrleansIm.Tests.Transport;

public sealed class ConnectionManagerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static Message Request(long id, string sender, int bodyBytes = 8) => new()
    {
        Id = id,
        Direction = MessageDirection.Request,
        Target = new GrainId("user", "u" + id),
        InterfaceName = "IUserGrain",
        MethodIndex = 1,
        SenderId = sender,
        DeadlineTicks = DateTime.UtcNow.AddSeconds(30).Ticks,
        Body = new byte[bodyBytes],
    };

    [Fact]
    public async Task Two_managers_exchange_ten_thousand_messages_each_way_in_order()
    {
        await using var a = await TransportNode.ListeningAsync("silo-a");
        await using var b = await TransportNode.ListeningAsync("silo-b");
        const int count = 10_000;

        var sends = new[]
        {
            Task.Run(() => { for (var i = 0; i < count; i++) a.Manager.Send(b.EndPoint, Request(i, a.Id)); }),
            Task.Run(() => { for (var i = 0; i < count; i++) b.Manager.Send(a.EndPoint, Request(i, b.Id)); }),
        };
        await Task.WhenAll(sends);
        await Eventually.True(() => a.Received.Count == count && b.Received.Count == count, Deadline, "all messages arrive");

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), b.Received.Select(m => m.Id));
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), a.Received.Select(m => m.Id));
        Assert.All(b.Received, m => Assert.Equal("silo-a", m.SenderId));
        Assert.Empty(a.SendFailed);
        Assert.Empty(b.SendFailed);
    }

    [Fact]
    public async Task Responses_reach_a_peer_that_only_connected_to_us()
    {
        await using var silo = await TransportNode.ListeningAsync("silo-s");
        await using var gateway = TransportNode.Client("gw-1");
        Assert.False(silo.Manager.TrySendToProcess(gateway.Id, Request(0, silo.Id)));

        gateway.Manager.Send(silo.EndPoint, Request(7, gateway.Id));
        await Eventually.True(() => !silo.Received.IsEmpty, Deadline, "request arrives");
        var request = Assert.Single(silo.Received);

        Assert.True(silo.Manager.TrySendToProcess(request.SenderId, request.CreateResponse(ResponseStatus.Success, [42])));
        await Eventually.True(() => !gateway.Received.IsEmpty, Deadline, "response arrives");
        var response = Assert.Single(gateway.Received);
        Assert.Equal(MessageDirection.Response, response.Direction);
        Assert.Equal(7, response.Id);
        Assert.Equal(new byte[] { 42 }, response.Body);
        Assert.False(silo.Manager.TrySendToProcess("gw-unknown", Request(1, silo.Id)));
    }

    [Fact]
    public async Task Killing_the_peer_fires_connection_lost_promptly_and_a_restarted_peer_is_reconnected()
    {
        var silo = await TransportNode.ListeningAsync("silo-1");
        var port = silo.EndPoint.Port;
        await using var client = await TransportNode.ListeningAsync("silo-2");
        client.Manager.Send(silo.EndPoint, Request(1, client.Id));
        await Eventually.True(() => client.Manager.IsConnected("silo-1") && !silo.Received.IsEmpty, Deadline, "connected");

        var dying = silo.DisposeAsync();
        await Eventually.True(() => client.Lost.Contains("silo-1"), TimeSpan.FromSeconds(1), "connection loss reported within a second");
        await dying;
        Assert.False(client.Manager.IsConnected("silo-1"));

        // Same port, new incarnation: later sends reconnect (possibly after one backoff if a connect raced the restart).
        await using var restarted = await TransportNode.ListeningAsync("silo-1b", port);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        var next = 100;
        await Eventually.True(() =>
        {
            if (!restarted.Received.IsEmpty) return true;
            try { client.Manager.Send(endpoint, Request(next++, client.Id)); } catch (TransportException) { }
            return false;
        }, Deadline, "send reaches the restarted peer");
        Assert.True(client.Manager.IsConnected("silo-1b"));
    }

    [Fact]
    public async Task Stopping_only_the_listener_closes_its_inbound_connections_promptly()
    {
        await using var silo = await TransportNode.ListeningAsync("silo-l");
        await using var gateway = TransportNode.Client("gw-l");
        gateway.Manager.Send(silo.EndPoint, Request(1, gateway.Id));
        await Eventually.True(() => !silo.Received.IsEmpty, Deadline, "connected");

        var stopping = silo.Listener!.StopAsync();
        await Eventually.True(() => gateway.Lost.Contains("silo-l"), TimeSpan.FromSeconds(1), "Kestrel's close request ends the connection");
        await stopping.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Sending_to_a_dead_endpoint_fails_queued_messages_and_backs_off()
    {
        var port = FreePort();
        var options = TransportNode.FastOptions();
        options.ReconnectBackoff = TimeSpan.FromSeconds(30);
        await using var client = TransportNode.Client("gw-2", options);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);

        client.Manager.Send(endpoint, Request(1, client.Id));
        client.Manager.Send(endpoint, Request(2, client.Id));
        await Eventually.True(() => client.SendFailed.Count == 2, Deadline, "queued messages are reported as undeliverable");
        Assert.Equal(new long[] { 1, 2 }, client.SendFailed.Select(f => f.Message.Id));
        Assert.All(client.SendFailed, f => Assert.IsType<TransportException>(f.Error));

        var ex = Assert.Throws<TransportException>(() => client.Manager.Send(endpoint, Request(3, client.Id)));
        Assert.Contains("unreachable", ex.Message);
        Assert.Empty(client.Lost); // Never connected, so no peer to report.
    }

    [Fact]
    public async Task A_frame_over_the_receivers_limit_closes_the_connection()
    {
        var small = TransportNode.FastOptions();
        small.MaxFrameBytes = 1024;
        await using var receiver = await TransportNode.ListeningAsync("silo-small", options: small);
        await using var sender = await TransportNode.ListeningAsync("silo-big");

        sender.Manager.Send(receiver.EndPoint, Request(1, sender.Id, bodyBytes: 100));
        sender.Manager.Send(receiver.EndPoint, Request(2, sender.Id, bodyBytes: 4096));
        await Eventually.True(() => sender.Lost.Contains("silo-small") && receiver.Lost.Contains("silo-big"), Deadline, "both sides see the connection close");

        Assert.Equal(new long[] { 1 }, receiver.Received.Select(m => m.Id));
        Assert.True(receiver.Logger.Has(LogLevel.Error, "exceeds the limit of 1024"));
    }

    [Fact]
    public async Task A_message_over_the_senders_limit_is_refused_without_closing_the_connection()
    {
        var small = TransportNode.FastOptions();
        small.MaxFrameBytes = 1024;
        await using var receiver = await TransportNode.ListeningAsync("silo-r");
        await using var sender = TransportNode.Client("gw-small", small);

        sender.Manager.Send(receiver.EndPoint, Request(1, sender.Id, bodyBytes: 4096));
        sender.Manager.Send(receiver.EndPoint, Request(2, sender.Id));
        await Eventually.True(() => !receiver.Received.IsEmpty && !sender.SendFailed.IsEmpty, Deadline);

        Assert.Equal(1, Assert.Single(sender.SendFailed).Message.Id);
        Assert.Equal(2, Assert.Single(receiver.Received).Id);
        Assert.Empty(sender.Lost);
    }

    [Fact]
    public async Task A_full_send_queue_fails_the_send()
    {
        var tiny = TransportNode.FastOptions();
        tiny.SendQueueCapacity = 2;
        tiny.ConnectTimeout = TimeSpan.FromSeconds(30);
        // A listener that never accepts keeps the connect (and so the queue) pending.
        using var blackhole = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        blackhole.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        blackhole.Listen(1);
        await using var client = TransportNode.Client("gw-3", tiny);
        var endpoint = (IPEndPoint)blackhole.LocalEndPoint!;

        client.Manager.Send(endpoint, Request(1, client.Id));
        client.Manager.Send(endpoint, Request(2, client.Id));
        Assert.Contains("full", Assert.Throws<TransportException>(() => client.Manager.Send(endpoint, Request(3, client.Id))).Message);
    }

    [Fact]
    public async Task A_hostile_frame_length_after_hello_closes_the_connection()
    {
        await using var silo = await TransportNode.ListeningAsync("silo-h");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(silo.EndPoint);

        var id = Encoding.UTF8.GetBytes("evil");
        var hello = new byte[4 + 4 + 1 + 2 + id.Length];
        BinaryPrimitives.WriteInt32LittleEndian(hello, hello.Length - 4);
        "OIMH"u8.CopyTo(hello.AsSpan(4));
        hello[8] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(9), (ushort)id.Length);
        id.CopyTo(hello, 11);
        var hostile = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(hostile, int.MaxValue);
        await socket.SendAsync(hello.Concat(hostile).ToArray());

        await AssertClosedAsync(socket);
        await Eventually.True(() => silo.Lost.Contains("evil"), Deadline);
        Assert.True(silo.Logger.Has(LogLevel.Error, "exceeds the limit"));
    }

    [Fact]
    public async Task A_client_without_a_hello_is_rejected()
    {
        await using var silo = await TransportNode.ListeningAsync("silo-g");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(silo.EndPoint);
        await socket.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        await AssertClosedAsync(socket);
        Assert.Empty(silo.Received);
        Assert.Empty(silo.Lost);
    }

    /// <summary>Reads (skipping the server's hello) until EOF or reset, within the deadline.</summary>
    private static async Task AssertClosedAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(Deadline);
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0) { }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
