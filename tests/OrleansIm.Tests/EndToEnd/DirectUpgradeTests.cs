using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit;

namespace OrleansIm.Tests.EndToEnd;

/// <summary>
/// Gateway:DirectUpgrades (the default): /ws and STOMP upgrades are read off the raw connection before Kestrel's HTTP/1
/// stack. Raw TCP on loopback, byte for byte, so what the handshake reader does with odd input is what a client sees:
/// other requests still reach HTTP/1 however their bytes are split, a first frame sent with the handshake is read,
/// malformed, oversized and slow heads are refused with a status and closed, and the HTTP/1 route still works when
/// the direct one is switched off.
/// </summary>
public sealed class DirectUpgradeTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Other_requests_reach_http_even_split_byte_by_byte_and_the_next_request_on_the_connection_too()
    {
        using var client = await OpenAsync(Node);
        var stream = client.GetStream();
        // "/wsx" shares its first bytes with "/ws": the reader must wait, then leave them all to HTTP/1.
        foreach (var b in Encoding.ASCII.GetBytes("GET /wsx HTTP/1.1\r\nHost: test\r\n\r\n"))
        {
            await stream.WriteAsync(new[] { b });
            await stream.FlushAsync();
            await Task.Delay(2);
        }
        var (status, _, _) = await ReadResponseAsync(stream);
        Assert.Equal(404, status);

        // The same keep-alive connection, now in HTTP/1's hands: /ws there is the HTTP/1 route's plain-GET refusal.
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /ws HTTP/1.1\r\nHost: test\r\n\r\n"));
        var (again, _, body) = await ReadResponseAsync(stream);
        Assert.Equal(400, again);
        Assert.Contains("only accepts WebSocket upgrades", body);
    }

    [Fact]
    public async Task A_plain_get_of_the_socket_path_is_refused_like_on_the_http_route_and_closed()
    {
        using var client = await OpenAsync(Node);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /ws?token=x HTTP/1.1\r\nHost: test\r\n\r\n"));
        var (status, headers, body) = await ReadResponseAsync(stream);
        Assert.Equal(400, status);
        Assert.Contains("connection: close", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(400, JsonDocument.Parse(body).RootElement.GetProperty("code").GetInt32());
        await AssertClosedAsync(stream);
    }

    [Fact]
    public async Task A_refused_token_gets_the_endpoints_401_with_its_json_body()
    {
        using var client = await OpenAsync(Node);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(UpgradeHead("/ws", "token: not.a.jwt\r\ndeviceType: im_web\r\n")));
        var (status, headers, body) = await ReadResponseAsync(stream);
        Assert.Equal(401, status);
        Assert.Contains("application/json", headers);
        Assert.Equal(401, JsonDocument.Parse(body).RootElement.GetProperty("code").GetInt32());
        await AssertClosedAsync(stream);
    }

    [Fact]
    public async Task A_handshake_and_the_first_frame_in_one_write_are_both_read_and_answered()
    {
        var token = await Node.LoginAsync(NodeFixture.NewUserId("pipe"));
        using var client = await OpenAsync(Node);
        var stream = client.GetStream();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var head = Encoding.ASCII.GetBytes(UpgradeHead("/ws", $"token: {token}\r\ndeviceType: im_web\r\n", key));
        var frame = MaskedTextFrame(JsonSerializer.Serialize(new { type = "ping", id = "first" }));
        await stream.WriteAsync(head.Concat(frame).ToArray());

        var (status, headers, _) = await ReadResponseAsync(stream, hasBody: false);
        Assert.Equal(101, status);
        var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        Assert.Contains("sec-websocket-accept: " + expected, headers, StringComparison.OrdinalIgnoreCase);

        var reply = JsonDocument.Parse(await ReadTextFrameAsync(stream)).RootElement;
        Assert.Equal("pong", reply.GetProperty("type").GetString());
        Assert.Equal("first", reply.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_socket_request_split_into_pieces_shorter_than_its_path_is_still_upgraded_and_closed_cleanly()
    {
        var token = await Node.LoginAsync(NodeFixture.NewUserId("split"));
        using var client = await OpenAsync(Node);
        var stream = client.GetStream();
        // The first bytes tell a socket request from HTTP: "GE", "T /w", "s?…" must wait for more.
        var head = Encoding.ASCII.GetBytes(UpgradeHead("/ws", $"token: {token}\r\ndeviceType: im_web\r\n"));
        foreach (var piece in new[] { head[..2], head[2..6], head[6..9], head[9..] })
        {
            await stream.WriteAsync(piece);
            await stream.FlushAsync();
            await Task.Delay(20);
        }
        var (status, _, _) = await ReadResponseAsync(stream, hasBody: false);
        Assert.Equal(101, status);

        await stream.WriteAsync(MaskedTextFrame(JsonSerializer.Serialize(new { type = "ping", id = "split" })));
        var reply = JsonDocument.Parse(await ReadTextFrameAsync(stream)).RootElement;
        Assert.Equal("split", reply.GetProperty("id").GetString());

        // A client close (1000) is answered with the server's close frame before the connection ends.
        await stream.WriteAsync(MaskedFrame(0x8, [0x03, 0xE8]));
        var close = await ReadExactlyAsync(stream, 2);
        Assert.Equal(0x88, close[0]);
        await ReadExactlyAsync(stream, close[1] & 0x7F);
        await AssertClosedAsync(stream);
    }

    [Theory]
    [InlineData("GET /ws HTTP/1.0\r\nHost: test\r\n\r\n", 400)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: test\r\nX-Folded: a\r\n b\r\n\r\n", 400)]
    [InlineData("GET /ws HTTP/1.1\r\nX-No-Host: 1\r\n\r\n", 400)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello", 400)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400)]
    [InlineData("GET /ws HTTP/1.1\nHost: test\n\n", 400)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: test\r\nBad Name: x\r\n\r\n", 400)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: test\r\nX-Ctl: a\u0001b\r\n\r\n", 400)]
    [InlineData("GET /imserver/ws?userId=u HTTP/1.1\r\nHost: test\r\nX-Folded: a\r\n\tb\r\n\r\n", 400)]
    public async Task Malformed_socket_heads_are_refused_and_closed(string request, int expected)
    {
        using var client = await OpenAsync(Node);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var (status, _, _) = await ReadResponseAsync(stream);
        Assert.Equal(expected, status);
        await AssertClosedAsync(stream);
    }

    [Fact]
    public async Task Oversized_request_lines_and_heads_are_refused_414_and_431()
    {
        // Kestrel's defaults: request line 8 KiB, headers 32 KiB, 100 headers.
        Assert.Equal(414, await StatusOfAsync("GET /ws?pad=" + new string('a', 9 * 1024) + " HTTP/1.1\r\nHost: test\r\n\r\n"));
        Assert.Equal(431, await StatusOfAsync("GET /ws HTTP/1.1\r\nHost: test\r\nX-Big: " + new string('b', 41 * 1024) + "\r\n\r\n"));
        var many = string.Concat(Enumerable.Range(0, 101).Select(i => $"X-H{i}: v\r\n"));
        Assert.Equal(431, await StatusOfAsync("GET /ws HTTP/1.1\r\nHost: test\r\n" + many + "\r\n"));
    }

    [Fact]
    public async Task A_head_not_finished_in_time_is_answered_408_and_closed()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:01" });
        using var client = await OpenAsync(node);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /ws HTTP/1.1\r\nHost: test\r\n"));
        var (status, _, _) = await ReadResponseAsync(stream);
        Assert.Equal(408, status);
        await AssertClosedAsync(stream);
    }

    [Fact]
    public async Task Kestrels_upgraded_connection_limit_holds_for_direct_upgrades_too()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Kestrel:Limits:MaxConcurrentUpgradedConnections"] = "1" });
        var token = await node.LoginAsync(NodeFixture.NewUserId("limit"));
        await using (var first = await node.ConnectAsync(token))
        {
            await first.PingAsync();
            // The second is no upgrade, as on Kestrel's HTTP/1 route past the limit: the endpoint's 400; HTTP still works.
            using var client = await OpenAsync(node);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(UpgradeHead("/ws", $"token: {token}\r\ndeviceType: im_pc\r\n")));
            var (status, _, body) = await ReadResponseAsync(stream);
            Assert.Equal(400, status);
            Assert.Contains("only accepts WebSocket upgrades", body);
            await AssertClosedAsync(stream);
            Assert.False(string.IsNullOrEmpty(await node.LoginAsync(NodeFixture.NewUserId("limit-http"))));
        }
        // Its slot is free again once it closed.
        await Eventually.True(async () =>
        {
            try
            {
                await using var again = await node.ConnectAsync(token);
                await again.PingAsync();
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }, Timeout, "a socket connects again after the first one closed");
    }

    [Fact]
    public async Task With_direct_upgrades_off_sockets_take_the_http1_route_with_the_same_refusals()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["Gateway:DirectUpgrades"] = "false" });
        var token = await node.LoginAsync(NodeFixture.NewUserId("h1"));
        await using (var socket = await node.ConnectAsync(token))
        {
            await socket.PingAsync();
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await node.FailedHandshakeStatusAsync("not.a.jwt", "im_web"));

        // On this route a plain GET of /ws leaves the connection open for the next request (HTTP/1 keep-alive).
        using var client = await OpenAsync(node);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /ws HTTP/1.1\r\nHost: test\r\n\r\n"));
        Assert.Equal(400, (await ReadResponseAsync(stream)).Status);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /wsx HTTP/1.1\r\nHost: test\r\n\r\n"));
        Assert.Equal(404, (await ReadResponseAsync(stream)).Status);
    }

    private async Task<int> StatusOfAsync(string request)
    {
        using var client = await OpenAsync(Node);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var (status, _, _) = await ReadResponseAsync(stream);
        await AssertClosedAsync(stream);
        return status;
    }

    private static string UpgradeHead(string path, string extraHeaders, string? key = null) =>
        $"GET {path} HTTP/1.1\r\nHost: test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
        $"Sec-WebSocket-Key: {key ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\n{extraHeaders}\r\n";

    private static async Task<TcpClient> OpenAsync(TestNode node)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, node.BaseUri.Port);
        return client;
    }

    /// <summary>A client's text frame: FIN, masked (RFC 6455 requires clients to mask).</summary>
    private static byte[] MaskedTextFrame(string text) => MaskedFrame(0x1, Encoding.UTF8.GetBytes(text));

    /// <summary>A client's frame of <paramref name="opcode"/>: FIN, masked.</summary>
    private static byte[] MaskedFrame(int opcode, byte[] payload)
    {
        Assert.True(payload.Length < 126);
        var mask = RandomNumberGenerator.GetBytes(4);
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)(0x80 | payload.Length);
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++) frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        return frame;
    }

    /// <summary>The next data frame from the server (unmasked, FIN), skipping pings.</summary>
    private static async Task<string> ReadTextFrameAsync(NetworkStream stream)
    {
        while (true)
        {
            var header = await ReadExactlyAsync(stream, 2);
            long length = header[1] & 0x7F;
            if (length == 126) length = (await ReadExactlyAsync(stream, 2)).Aggregate(0L, (n, b) => (n << 8) | b);
            else if (length == 127) length = (await ReadExactlyAsync(stream, 8)).Aggregate(0L, (n, b) => (n << 8) | b);
            var payload = await ReadExactlyAsync(stream, (int)length);
            if ((header[0] & 0x0F) == 0x1) return Encoding.UTF8.GetString(payload);
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(Timeout);
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return buffer;
    }

    /// <summary>One response: status, the head's header lines, and (if it has one) the Content-Length body.</summary>
    private static async Task<(int Status, string Headers, string Body)> ReadResponseAsync(NetworkStream stream, bool hasBody = true)
    {
        var head = new List<byte>();
        using var timeout = new CancellationTokenSource(Timeout);
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0) throw new IOException("Closed before a whole response head: " + Encoding.ASCII.GetString(head.ToArray()));
            head.Add(one[0]);
        }
        var text = Encoding.ASCII.GetString(head.ToArray());
        var status = int.Parse(text.Split(' ')[1]);
        if (!hasBody) return (status, text, "");
        if (text.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase)) return (status, text, await ReadChunkedAsync(stream));
        var lengthLine = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is not null ? int.Parse(lengthLine["Content-Length:".Length..].Trim()) : 0;
        var body = length == 0 ? "" : Encoding.UTF8.GetString(await ReadExactlyAsync(stream, length));
        return (status, text, body);
    }

    /// <summary>HTTP/1's own responses (the other route) come chunked.</summary>
    private static async Task<string> ReadChunkedAsync(NetworkStream stream)
    {
        var body = new List<byte>();
        while (true)
        {
            var sizeLine = await ReadLineAsync(stream);
            var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                await ReadLineAsync(stream);
                return Encoding.UTF8.GetString(body.ToArray());
            }
            body.AddRange(await ReadExactlyAsync(stream, size));
            await ReadLineAsync(stream);
        }
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var line = new List<byte>();
        while (line.Count < 2 || line[^2] != '\r' || line[^1] != '\n') line.Add((await ReadExactlyAsync(stream, 1))[0]);
        return Encoding.ASCII.GetString(line.ToArray(), 0, line.Count - 2);
    }

    private static async Task AssertClosedAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset instead of FIN: closed too.
        }
    }
}
