using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrleansIm.ToolsShared;

/// <summary>
/// The floor for the benchmark and the load-test tool: a bare ASP.NET Core WebSocket relay on 127.0.0.1, with no
/// auth, grains or storage. It answers just enough of the node's API for their clients (login, create a private or
/// group conversation, <c>msg.send</c>) and, per <c>msg.send</c>, parses the JSON frame, relays a <c>msg.new</c>
/// with the node's fields to the other members' sockets and acknowledges to the sender — the JSON and socket work
/// any implementation must do, so node throughput / floor throughput is the share left after the grains and the
/// durable write. It keeps no history: what the load tool's delivery checker reads does not exist here.
/// </summary>
public sealed class FloorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Connection> _connections = new();
    private readonly ConcurrentDictionary<string, Conversation> _conversations = new();

    private FloorServer(WebApplication app, int port)
    {
        _app = app;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    /// <param name="port">The loopback port to listen on; 0 picks a free one.</param>
    public static async Task<FloorServer> StartAsync(int port = 0)
    {
        if (port == 0) port = NodeProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new FloorServer(app, port);
        app.UseWebSockets();
        app.MapPost("/openapi/v1/user/login", server.LoginAsync);
        app.MapPost("/im/conversations", server.CreateConversationAsync);
        app.Map("/ws", server.AcceptAsync);
        await app.StartAsync();
        return server;
    }

    private async Task LoginAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        var id = body?["id"]?.GetValue<string>() ?? "";
        await context.Response.WriteAsJsonAsync(new { code = 200, msg = "success", data = new { token = $"Bearer {id}" } });
    }

    private async Task CreateConversationAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        var members = new[] { body?["client_id"]?.GetValue<string>() ?? "" }
            .Concat(body?["to_client_ids"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [])
            .ToArray();
        var id = Guid.NewGuid().ToString("N");
        _conversations[id] = new Conversation(members);
        await context.Response.WriteAsJsonAsync(new { code = 0, message = "ok", data = new { conv_extend = (string?)null, conv_id = id } });
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        // The token is "Bearer <user id>" (see LoginAsync), in a header or, as browsers send it, in the query.
        var token = context.Request.Headers["token"].ToString();
        if (token.Length == 0) token = context.Request.Query["token"].ToString();
        var user = token.Replace("Bearer ", "");
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(socket);
        _connections[user] = connection;
        try
        {
            var buffer = new byte[64 * 1024];
            while (socket.State == WebSocketState.Open)
            {
                var (count, type) = await WebSocketMessages.ReceiveAsync(socket, buffer, context.RequestAborted);
                if (type == WebSocketMessageType.Close) break;
                OnFrame(user, connection, JsonNode.Parse(buffer.AsSpan(0, count))!);
            }
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
        catch (WebSocketException) { }
        catch (OperationCanceledException) { }
        finally
        {
            _connections.TryRemove(new KeyValuePair<string, Connection>(user, connection));
            await connection.CompleteAsync();
        }
    }

    private void OnFrame(string user, Connection connection, JsonNode frame)
    {
        if (frame["type"]?.GetValue<string>() != "msg.send") return;
        var id = frame["id"]?.GetValue<string>();
        var data = frame["data"]!;
        var convId = data["conv_id"]!.GetValue<string>();
        var clientMsgId = data["client_msg_id"]?.GetValue<string>();
        if (!_conversations.TryGetValue(convId, out var conversation))
        {
            connection.Send(JsonSerializer.SerializeToUtf8Bytes(new { type = "error", id, code = 4404, msg = "no such conversation" }));
            return;
        }
        var seq = Interlocked.Increment(ref conversation.Seq);
        var msgId = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var push = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "msg.new",
            data = new
            {
                from_client = user, conv_id = convId, msg_id = msgId, ctime = now, type = data["type"]?.GetValue<int>() ?? -1,
                text = data["text"]?.GetValue<string>(), attr = (string?)null, url = (string?)null, transient = 0, mention_all = 0,
                mention_client_ids = (string[]?)null, no_sync = 0, seq, client_msg_id = clientMsgId,
            },
        });
        foreach (var member in conversation.Members)
        {
            if (member != user && _connections.TryGetValue(member, out var other)) other.Send(push);
        }
        connection.Send(JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "msg.send.ack",
            id,
            data = new { conv_id = convId, msg_id = msgId, seq, time = now, duplicate = false, client_msg_id = clientMsgId },
        }));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(timeout.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }

    private sealed class Conversation(string[] members)
    {
        public readonly string[] Members = members;
        public long Seq;
    }

    /// <summary>One socket and its outgoing queue, written by a single loop (a WebSocket allows one send at a time).</summary>
    private sealed class Connection
    {
        private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Task _writer;

        public Connection(WebSocket socket) => _writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var frame in _outgoing.Reader.ReadAllAsync())
                    await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (WebSocketException) { }
            catch (ObjectDisposedException) { }
        });

        public void Send(byte[] frame) => _outgoing.Writer.TryWrite(frame);

        public async Task CompleteAsync()
        {
            _outgoing.Writer.TryComplete();
            await _writer.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { });
        }
    }
}
