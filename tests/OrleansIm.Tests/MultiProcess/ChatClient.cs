using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace OrleansIm.Tests.MultiProcess;

/// <summary>One message as a client knows it (from a push, an ack, a sync or history).</summary>
public sealed record SeenMessage(string MsgId, long Seq, string? ClientMsgId, string Source);

/// <summary>
/// A chat client for pipelined traffic: many requests in flight on one socket, replies matched by frame id,
/// msg.new pushes recorded per conversation (seq → message) and in arrival order (<see cref="PushOrder"/>). Thread-safe,
/// unlike the single-waiter ImSocket.
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly Task _receiveLoop;
    private int _nextId;

    private ChatClient(string userId, int gateway, ClientWebSocket socket, Stopwatch clock)
    {
        UserId = userId;
        Gateway = gateway;
        _socket = socket;
        PushOrder = new PushOrderLog(clock);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public string UserId { get; }
    public int Gateway { get; }
    public bool Closed { get; private set; }
    public string? CloseReason { get; private set; }
    public int Pushes;

    /// <summary>conv_id → seq → message, from pushes, own acks and syncs.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<long, SeenMessage>> Seen { get; } = new();

    /// <summary>The order in which this connection's msg.new pushes arrived, per conversation.</summary>
    public PushOrderLog PushOrder { get; }

    /// <summary>Two different messages seen for the same seq of one conversation (must stay empty).</summary>
    public ConcurrentQueue<string> Conflicts { get; } = new();

    /// <summary>Connects to a gateway's /ws; <paramref name="clock"/> times the pushes' arrivals (the test's clock, to compare with its phases).</summary>
    public static async Task<ChatClient> ConnectAsync(Uri gateway, int gatewayIndex, string userId, string token, Stopwatch clock)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("token", token);
        socket.Options.SetRequestHeader("deviceType", "im_web");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(new UriBuilder(gateway) { Scheme = "ws", Path = "/ws" }.Uri, timeout.Token);
        return new ChatClient(userId, gatewayIndex, socket, clock);
    }

    /// <summary>Records a message; true if this client did not know it yet.</summary>
    public bool Record(string convId, SeenMessage message)
    {
        var seqs = Seen.GetOrAdd(convId, _ => new ConcurrentDictionary<long, SeenMessage>());
        var existing = seqs.GetOrAdd(message.Seq, message);
        if (existing.MsgId != message.MsgId)
            Conflicts.Enqueue($"{UserId} conv {convId} seq {message.Seq}: {existing.MsgId} ({existing.Source}) vs {message.MsgId} ({message.Source})");
        return ReferenceEquals(existing, message);
    }

    /// <summary>The highest seq up to which this client has seen every message of the conversation.</summary>
    public long ContiguousSeq(string convId)
    {
        if (!Seen.TryGetValue(convId, out var seqs)) return 0;
        long seq = 0;
        while (seqs.ContainsKey(seq + 1)) seq++;
        return seq;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1024 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseReason = $"server closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    break;
                }
                var frame = JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone();
                var type = frame.GetProperty("type").GetString();
                if (type == "msg.new")
                {
                    var data = frame.GetProperty("data");
                    Interlocked.Increment(ref Pushes);
                    var pushed = FromJson(data, "push");
                    var convId = data.GetProperty("conv_id").GetString()!;
                    PushOrder.Record(convId, pushed.Seq);
                    Record(convId, pushed);
                }
                else if (frame.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                         && _pending.TryRemove(id.GetString()!, out var waiter))
                {
                    waiter.TrySetResult(frame);
                }
            }
        }
        catch (Exception e)
        {
            CloseReason ??= "receive failed: " + e.Message;
        }
        finally
        {
            Closed = true;
            foreach (var (key, waiter) in _pending)
                if (_pending.TryRemove(key, out _)) waiter.TrySetException(new WebSocketException("socket closed: " + CloseReason));
        }
    }

    public static SeenMessage FromJson(JsonElement m, string source) => new(
        m.GetProperty("msg_id").GetString()!,
        m.GetProperty("seq").GetInt64(),
        m.TryGetProperty("client_msg_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null,
        source);

    /// <summary>Sends a request frame; returns its reply, or null when none came within <paramref name="timeout"/>.</summary>
    public async Task<JsonElement?> RequestAsync(string type, object data, TimeSpan timeout)
    {
        var id = "f" + Interlocked.Increment(ref _nextId);
        var waiter = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiter;
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type, id, data }));
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
        try
        {
            return await waiter.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(id, out _);
            return null;
        }
    }

    /// <summary>Request that must succeed: returns the ack's data.</summary>
    public async Task<JsonElement> AckAsync(string type, object data)
    {
        var reply = await RequestAsync(type, data, TimeSpan.FromSeconds(30))
                    ?? throw new TimeoutException($"{UserId}: no reply to {type}");
        if (reply.GetProperty("type").GetString() != type + ".ack") throw new InvalidOperationException($"{UserId}: {type} → {reply}");
        return reply.GetProperty("data");
    }

    /// <summary>
    /// Resync: msg.sync from the last contiguous seq of each conversation, repeated while has_more. Returns how many
    /// messages were new to this client (pushes it missed or that had not arrived yet).
    /// </summary>
    public async Task<int> SyncAsync(IEnumerable<string> convIds)
    {
        var fetched = 0;
        var remaining = convIds.ToHashSet();
        Dictionary<string, long>? previous = null;
        while (remaining.Count > 0)
        {
            var cursors = remaining.ToDictionary(c => c, ContiguousSeq);
            if (previous is not null && cursors.Any(c => previous.TryGetValue(c.Key, out var p) && p == c.Value))
                throw new InvalidOperationException($"{UserId}: msg.sync says has_more but the cursor does not advance (a gap in the store?): {string.Join(", ", cursors)}");
            previous = cursors;
            var data = await AckAsync("msg.sync", new { cursors, limit = 100 });
            foreach (var conv in data.GetProperty("conversations").EnumerateArray())
            {
                var convId = conv.GetProperty("conv_id").GetString()!;
                if (conv.TryGetProperty("code", out var code))
                    throw new InvalidOperationException($"{UserId}: msg.sync of {convId} refused: {conv}");
                foreach (var m in conv.GetProperty("messages").EnumerateArray())
                {
                    if (Record(convId, FromJson(m, "sync"))) fetched++;
                }
                if (!conv.GetProperty("has_more").GetBoolean()) remaining.Remove(convId);
            }
        }
        return fetched;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
        }
        catch (Exception)
        {
        }
        _socket.Abort();
        try
        {
            await _receiveLoop;
        }
        catch (Exception)
        {
        }
        _socket.Dispose();
    }
}
