using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace OrleansIm.Tests.MultiProcess;

/// <summary>An acked send: <paramref name="At"/> when the ack came, <paramref name="FirstSentAt"/> when its first attempt went out.</summary>
public sealed record AckedSend(string User, string ConvId, string ClientMsgId, string MsgId, long Seq, bool Duplicate, int Attempt, TimeSpan At, TimeSpan FirstSentAt);

public sealed record FailedAttempt(string User, string ConvId, string ClientMsgId, int Attempt, TimeSpan At, TimeSpan FailedAt, string What);

/// <summary>
/// Every client sends pipelined msg.send frames (a window of outstanding sends each) to its conversations, each
/// with a unique client_msg_id. A send that gets an error frame or no ack in time is retried with the SAME
/// client_msg_id, at most <see cref="MaxAttempts"/> times. Every attempt's outcome is recorded with its time.
/// </summary>
public sealed class ChatTraffic(string phase, Stopwatch clock)
{
    public const int Window = 4;
    public const int MaxAttempts = 12; // with the back-off below, ~13 s of fast failures: longer than a failover (~5–10 s)
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(10);

    private volatile bool _stopping;
    private long _maxLatencyTicks;
    private int _attempts;

    public ConcurrentQueue<AckedSend> Acked { get; } = new();
    public ConcurrentQueue<FailedAttempt> Failures { get; } = new();
    public ConcurrentQueue<string> GaveUp { get; } = new();
    public ConcurrentDictionary<string, ConcurrentQueue<TimeSpan>> AckTimesByUser { get; } = new();
    public HashSet<string> SentClientMsgIds { get; } = [];

    public int Attempts => _attempts;
    public TimeSpan MaxAckLatency => TimeSpan.FromTicks(Interlocked.Read(ref _maxLatencyTicks));

    public int AcksAfter(string user, TimeSpan at) =>
        AckTimesByUser.TryGetValue(user, out var times) ? times.Count(t => t > at) : 0;

    public Task RunAsync(IEnumerable<(ChatClient Client, IReadOnlyList<string> Convs)> senders) =>
        Task.WhenAll(senders.Select(s => Task.Run(() => SendLoopAsync(s.Client, s.Convs))));

    public void Stop() => _stopping = true;

    private async Task SendLoopAsync(ChatClient client, IReadOnlyList<string> convs)
    {
        using var window = new SemaphoreSlim(Window);
        var inFlight = new List<Task>();
        for (var k = 0; !_stopping; k++)
        {
            await window.WaitAsync();
            if (_stopping)
            {
                window.Release();
                break;
            }
            var conv = convs[k % convs.Count];
            var clientMsgId = $"{phase}-{client.UserId}-{k}";
            lock (SentClientMsgIds) SentClientMsgIds.Add(clientMsgId);
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    await SendWithRetriesAsync(client, conv, clientMsgId);
                }
                finally
                {
                    window.Release();
                }
            }));
            await Task.Delay(Pace);
        }
        await Task.WhenAll(inFlight);
    }

    /// <summary>
    /// The longest stretch in which a conversation had sends waiting and no ack (the failover pause a user sees), with
    /// the conversation and when the stretch ended.
    /// </summary>
    public (TimeSpan Pause, string ConvId, TimeSpan EndedAt) LongestPause(TimeSpan from)
    {
        var best = (Pause: TimeSpan.Zero, ConvId: "", EndedAt: TimeSpan.Zero);
        foreach (var conv in Acked.GroupBy(x => x.ConvId))
        {
            var acks = conv.Where(x => x.At >= from).OrderBy(x => x.At).ToList();
            for (var i = 0; i < acks.Count; i++)
            {
                // From the later of the previous ack and this send's first attempt: a quiet conversation is no pause.
                var start = i == 0 ? acks[i].FirstSentAt : (acks[i].FirstSentAt > acks[i - 1].At ? acks[i].FirstSentAt : acks[i - 1].At);
                if (acks[i].At - start > best.Pause) best = (acks[i].At - start, conv.Key, acks[i].At);
            }
        }
        return best;
    }

    /// <summary>The longest time from a send's first attempt to its ack, retries included.</summary>
    public TimeSpan MaxSendToAck => Acked.IsEmpty ? TimeSpan.Zero : Acked.Max(x => x.At - x.FirstSentAt);

    private async Task SendWithRetriesAsync(ChatClient client, string conv, string clientMsgId)
    {
        var firstSentAt = clock.Elapsed;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var started = clock.Elapsed;
            Interlocked.Increment(ref _attempts);
            string what;
            try
            {
                var reply = await client.RequestAsync("msg.send",
                    new { conv_id = conv, client_msg_id = clientMsgId, type = -1, text = $"{clientMsgId} (attempt {attempt})" }, AckTimeout);
                if (reply is { } frame && frame.GetProperty("type").GetString() == "msg.send.ack")
                {
                    var data = frame.GetProperty("data");
                    var latency = clock.Elapsed - started;
                    long current;
                    while (latency.Ticks > (current = Interlocked.Read(ref _maxLatencyTicks))
                           && Interlocked.CompareExchange(ref _maxLatencyTicks, latency.Ticks, current) != current)
                    {
                    }
                    var acked = new AckedSend(client.UserId, conv, clientMsgId, data.GetProperty("msg_id").GetString()!,
                        data.GetProperty("seq").GetInt64(), data.GetProperty("duplicate").GetBoolean(), attempt, clock.Elapsed, firstSentAt);
                    if (data.GetProperty("client_msg_id").GetString() != clientMsgId || data.GetProperty("conv_id").GetString() != conv)
                        throw new InvalidOperationException($"ack does not match its send: {frame}");
                    client.Record(conv, new SeenMessage(acked.MsgId, acked.Seq, clientMsgId, "ack"));
                    Acked.Enqueue(acked);
                    AckTimesByUser.GetOrAdd(client.UserId, _ => new ConcurrentQueue<TimeSpan>()).Enqueue(acked.At);
                    return;
                }
                what = reply is { } error
                    ? $"error {(error.TryGetProperty("code", out var c) ? c.ToString() : "?")}: {(error.TryGetProperty("msg", out var m) ? m.GetString() : error.ToString())}"
                    : $"no ack within {AckTimeout.TotalSeconds:F0} s";
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                what = "exception: " + e.Message;
            }
            Failures.Enqueue(new FailedAttempt(client.UserId, conv, clientMsgId, attempt, started, clock.Elapsed, what));
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt)); // back-off before the retry (pacing, not correctness)
        }
        GaveUp.Enqueue($"{clientMsgId} to {conv}");
    }
}
