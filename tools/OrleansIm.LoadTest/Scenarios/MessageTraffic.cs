using System.Diagnostics;
using System.Text.Json;
using OrleansIm.LoadTest.Checking;
using OrleansIm.LoadTest.Client;

namespace OrleansIm.LoadTest.Scenarios;

/// <summary>
/// Sends messages from a set of <see cref="SenderSlot"/>s for the run's duration, closed loop (each sender keeps
/// <see cref="LoadTestSettings.Window"/> sends unacknowledged; senders start spread over the ramp-up) or open loop
/// (<see cref="LoadTestSettings.Rate"/> messages/s in all, reached linearly over the ramp-up, whatever the server's
/// speed; a send that would exceed 1000 outstanding per sender is skipped and counted, so a server that falls
/// behind shows as skips rather than as unbounded memory here). Every ack goes to the ledger; a 4290 is waited out
/// and resent with the same <c>client_msg_id</c>, as docs/protocol.md says.
/// </summary>
public sealed class MessageTraffic(ScenarioContext context, IReadOnlyList<SenderSlot> senders, bool survivesReconnects = false)
{
    private const int MaxOutstandingPerSender = 1000;

    private long _skipped;

    /// <summary>Open loop: sends skipped because the sender already had <see cref="MaxOutstandingPerSender"/> outstanding.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Sends until <paramref name="stop"/>, then waits (bounded) for the outstanding acks and the deliveries.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var settings = context.Settings;
        var inFlight = new List<Task>();
        // The server's CPU per acked message is a figure a shared, noisy machine barely moves (unlike msgs/s): known
        // only for a node or floor this tool started. Taken from the end of the warm-up, like every other figure.
        var baseline = CpuBaselineAsync(settings.WarmUp, stop);
        if (settings.Rate <= 0)
        {
            for (var i = 0; i < senders.Count; i++)
            {
                var slot = senders[i];
                var delay = settings.RampUp * i / senders.Count;
                for (var lane = 0; lane < settings.Window; lane++)
                    inFlight.Add(Task.Run(async () =>
                    {
                        try { await Task.Delay(delay, stop); } catch (OperationCanceledException) { return; }
                        while (!stop.IsCancellationRequested) await SendOneAsync(slot);
                    }));
            }
            await Task.WhenAll(inFlight);
        }
        else
        {
            await PaceAsync(settings.Rate, settings.RampUpSeconds, stop);
        }

        var (cpuAtStart, ackedAtStart, sending) = await baseline;
        if (context.Target.CpuTime - cpuAtStart is { } cpu && Interlocked.Read(ref context.Metrics.Acked) - ackedAtStart is > 0 and var acked)
        {
            context.Extra["server CPU µs per acked message"] = cpu.TotalMicroseconds / acked;
            context.Extra["server cores busy"] = cpu.TotalSeconds / sending.Elapsed.TotalSeconds;
        }

        context.Phase = "draining";
        var deadline = Stopwatch.StartNew();
        while (senders.Any(s => Interlocked.Read(ref s.Outstanding) > 0) && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        await WaitForDeliveriesAsync(context);
        if (settings.Rate > 0) context.Extra["open-loop sends skipped (sender 1000 behind)"] = Skipped;
    }

    /// <summary>The server's CPU time and the acks when the warm-up ends (at once without one), and a clock from then.</summary>
    private async Task<(TimeSpan? Cpu, long Acked, Stopwatch Since)> CpuBaselineAsync(TimeSpan warmUp, CancellationToken stop)
    {
        if (warmUp > TimeSpan.Zero)
        {
            try { await Task.Delay(warmUp, stop); } catch (OperationCanceledException) { }
        }
        return (context.Target.CpuTime, Interlocked.Read(ref context.Metrics.Acked), Stopwatch.StartNew());
    }

    /// <summary>Waits until every expected delivery arrived, or none arrived for 5 s (at most 30 s).</summary>
    public static async Task WaitForDeliveriesAsync(ScenarioContext context)
    {
        var metrics = context.Metrics;
        var total = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        var last = Interlocked.Read(ref metrics.Delivered);
        while (Interlocked.Read(ref metrics.Delivered) < Interlocked.Read(ref metrics.ExpectedDeliveries) && quiet.Elapsed < TimeSpan.FromSeconds(5) &&
               total.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
            var now = Interlocked.Read(ref metrics.Delivered);
            if (now != last) quiet.Restart();
            last = now;
        }
    }

    private async Task PaceAsync(double rate, double rampSeconds, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        long started = 0;
        var next = 0;
        while (!stop.IsCancellationRequested)
        {
            var t = clock.Elapsed.TotalSeconds;
            // Messages due by t: the integral of a rate rising linearly to `rate` over the ramp, then flat.
            var due = rampSeconds <= 0 ? rate * t
                : t < rampSeconds ? rate * t * t / (2 * rampSeconds)
                : rate * (rampSeconds / 2 + (t - rampSeconds));
            for (; started < (long)due; started++)
            {
                var slot = senders[next++ % senders.Count];
                if (Interlocked.Read(ref slot.Outstanding) >= MaxOutstandingPerSender)
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }
                _ = SendOneAsync(slot);
            }
            try { await Task.Delay(2, stop); } catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Sends one message and records its ack; never throws.</summary>
    private async Task SendOneAsync(SenderSlot slot)
    {
        var metrics = context.Metrics;
        Interlocked.Increment(ref slot.Outstanding);
        Interlocked.Increment(ref metrics.Sent);
        var clientMsgId = $"{slot.User.Id}-{slot.NextIndex()}";
        var sentAt = Stopwatch.GetTimestamp();
        var text = MessageText.Make(sentAt, context.Settings.MessageBytes);
        var data = new { conv_id = slot.ConvId, client_msg_id = clientMsgId, type = -1, text, transient = context.Settings.Transient ? 1 : 0 };
        var firstSendOrder = -1L;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var connection = slot.Connection;
                Reply reply;
                try
                {
                    reply = await connection.RequestAsync("msg.send", data);
                }
                catch (ConnectionLostException e) when (survivesReconnects && attempt < 5)
                {
                    if (firstSendOrder < 0) firstSendOrder = e.SendOrder;
                    if (!await slot.WaitReplacedAsync(connection, TimeSpan.FromSeconds(60))) throw;
                    continue;
                }
                if (reply.Ok)
                {
                    metrics.CountAck(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                    Interlocked.Add(ref metrics.ExpectedDeliveries, slot.Recipients.Count);
                    // A resend answered "duplicate" was stored when an earlier attempt reached the server.
                    var duplicate = reply.Data.TryGetProperty("duplicate", out var d) && d.ValueKind == JsonValueKind.True;
                    var order = duplicate && firstSendOrder >= 0 ? firstSendOrder : reply.SendOrder;
                    if (!context.Settings.Transient) // a transient message has no seq and is never in history
                        context.Ledger.Acked.Enqueue(new AckedMessage(slot.ConvId, slot.User.Id, order, clientMsgId,
                        reply.Data.GetProperty("msg_id").GetString()!, reply.Data.GetProperty("seq").GetInt64(), text.GetHashCode(), slot.Recipients));
                    return;
                }
                if (firstSendOrder < 0) firstSendOrder = reply.SendOrder;
                if (reply.Code == 4290 && attempt < 50)
                {
                    Interlocked.Increment(ref metrics.RateLimited);
                    await Task.Delay(Math.Max(1, reply.RetryAfterMs));
                    continue;
                }
                if (reply.Code == 5030 && attempt < 5)
                {
                    await Task.Delay(200);
                    continue;
                }
                context.Error($"msg.send: {reply}");
                return;
            }
        }
        catch (ConnectionLostException e)
        {
            context.Error($"msg.send: {e.Message}");
        }
        catch (TimeoutException e)
        {
            context.Error($"msg.send: {e.Message}");
        }
        finally
        {
            Interlocked.Decrement(ref slot.Outstanding);
        }
    }
}
