using System.Diagnostics;
using System.Text.Json;
using OrleansIm.LoadTest.Checking;
using OrleansIm.LoadTest.Client;

namespace OrleansIm.LoadTest.Scenarios;

/// <summary>
/// Receives one user's messages: every <c>msg.new</c> push (and, after a reconnect, every message <c>msg.sync</c>
/// returns) is timed from the send stamp in its text and recorded for the delivery checker. It also keeps the last seq
/// seen per conversation, the cursors a resync starts from.
/// </summary>
public sealed class MessageReceiver(ImUser user, ScenarioContext context, bool deduplicate)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _lastSeq = [];
    private readonly HashSet<string> _seen = [];

    public ImUser User { get; } = user;

    public void OnPush(ImConnection connection, string type, JsonElement data)
    {
        if (type == "msg.new") Receive(data, resynced: false);
    }

    /// <summary>The last seq seen per conversation (for <c>msg.sync</c>).</summary>
    public Dictionary<string, long> Cursors()
    {
        lock (_lock) return new Dictionary<string, long>(_lastSeq);
    }

    /// <summary>One message in the <c>msg.new</c> data shape; with <paramref name="resynced"/>, one from <c>msg.sync</c>.
    /// With deduplication (reconnects: a message may come both pushed and resynced) a msg_id counts once.</summary>
    public void Receive(JsonElement data, bool resynced)
    {
        var now = Stopwatch.GetTimestamp();
        var msgId = data.GetProperty("msg_id").GetString()!;
        var convId = data.GetProperty("conv_id").GetString()!;
        var seq = data.GetProperty("seq").GetInt64();
        var text = data.TryGetProperty("text", out var t) ? t.GetString() : null;
        lock (_lock)
        {
            if (deduplicate && !_seen.Add(msgId)) return;
            _lastSeq[convId] = Math.Max(_lastSeq.GetValueOrDefault(convId), seq);
        }
        var sent = MessageText.SentTimestamp(text);
        if (sent is null) return; // not one of this run's messages
        context.Metrics.CountDelivery(Stopwatch.GetElapsedTime(sent.Value, now).TotalMilliseconds);
        context.Ledger.Delivered.Enqueue(new DeliveredMessage(User.Id, convId, data.GetProperty("from_client").GetString()!, msgId, seq,
            data.TryGetProperty("client_msg_id", out var c) ? c.GetString() : null, text?.GetHashCode() ?? 0, resynced));
    }
}
