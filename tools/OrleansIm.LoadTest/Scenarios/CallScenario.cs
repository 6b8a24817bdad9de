using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansIm.LoadTest.Client;

namespace OrleansIm.LoadTest.Scenarios;

/// <summary>
/// Call signaling (docs/protocol.md § 8), per pair in a loop: the caller sends <c>call.request</c>, the callee
/// answers the ringing push with <c>call.response</c> ACCEPT, the caller gets the <c>call.response</c> push (signal
/// latency: request to that push), sends an <c>rtc.signaling</c> OFFER the callee must receive, and hangs up; the
/// next call starts when the callee got the <c>call.hangup</c> push. Acks are every request frame's reply.
/// </summary>
public sealed class CallScenario : IScenario
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _accepted = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _hungUp = new();
    private long _offersReceived;
    private long _offersSent;

    public async Task RunAsync(ScenarioContext context)
    {
        var pairs = context.Settings.Users / 2;
        var users = await context.LoginUsersAsync("k", pairs * 2);
        var connections = await context.ConnectAllAsync(users, u => u.Index % 2 == 0 ? OnCallerPush : (connection, type, data) => OnCalleePush(context, connection, type, data));

        context.Phase = "calling";
        context.Metrics.Start();
        using var stop = new CancellationTokenSource(context.Settings.Duration);
        await Task.WhenAll(Enumerable.Range(0, pairs).Select(i => Task.Run(() => CallLoopAsync(context, i, connections[2 * i], users[2 * i + 1], stop.Token))));
        context.Phase = "draining";
        await Task.Delay(500);
        var offersReceived = Interlocked.Read(ref _offersReceived);
        if (offersReceived != _offersSent) context.Error($"rtc.signaling: {_offersSent} offers acked, {offersReceived} received");
        context.Extra["calls completed"] = context.Metrics.Events;
        context.Extra["calls/s"] = context.Metrics.MeasuredEvents / context.Settings.DurationSeconds;
        context.Extra["offers relayed"] = offersReceived;
        await ScenarioContext.CloseAllAsync(connections);
    }

    private async Task CallLoopAsync(ScenarioContext context, int pair, ImConnection caller, ImUser callee, CancellationToken stop)
    {
        try { await Task.Delay(context.Settings.RampUp * pair / Math.Max(1, context.Settings.Users / 2), stop); } catch (OperationCanceledException) { return; }
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var callId = $"{context.RunId}-{pair}-{n}";
            var accepted = _accepted[callId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var hungUp = _hungUp[callId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                var started = Stopwatch.GetTimestamp();
                if (!await StepAsync(context, caller, "call.request", new { callId, type = "AUDIO", callee = callee.Id, callerUserName = caller.User.Id, calleeUserName = callee.Id }))
                {
                    await Task.Delay(100, CancellationToken.None);
                    continue;
                }
                await accepted.Task.WaitAsync(StepTimeout);
                context.Metrics.CountEvent(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (await StepAsync(context, caller, "rtc.signaling", new { callId, type = "OFFER", payload = "v=0 o=- 1 1 IN IP4 127.0.0.1 s=- t=0 0" }))
                    Interlocked.Increment(ref _offersSent);
                await StepAsync(context, caller, "call.hangup", new { callId });
                await hungUp.Task.WaitAsync(StepTimeout);
            }
            catch (TimeoutException)
            {
                context.Error($"call {callId}: a push did not come within {StepTimeout.TotalSeconds:N0} s");
            }
            catch (ConnectionLostException e)
            {
                context.Error($"call: {e.Message}");
                return;
            }
            finally
            {
                _accepted.TryRemove(callId, out _);
                _hungUp.TryRemove(callId, out _);
            }
        }
    }

    /// <summary>One request frame of the caller; its reply time counts as an ack, an error reply as an error.</summary>
    private static async Task<bool> StepAsync(ScenarioContext context, ImConnection connection, string type, object data)
    {
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref context.Metrics.Sent);
        var reply = await connection.RequestAsync(type, data);
        if (reply.Ok)
        {
            context.Metrics.CountAck(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return true;
        }
        context.Error($"{type}: {reply}");
        return false;
    }

    private void OnCallerPush(ImConnection connection, string type, System.Text.Json.JsonElement data)
    {
        if (type == "call.response" && _accepted.TryGetValue(data.GetProperty("callId").GetString()!, out var accepted)) accepted.TrySetResult();
    }

    private void OnCalleePush(ScenarioContext context, ImConnection connection, string type, System.Text.Json.JsonElement data)
    {
        var callId = data.TryGetProperty("callId", out var id) ? id.GetString()! : "";
        switch (type)
        {
            case "call.request":
                _ = AnswerAsync(context, connection, callId);
                break;
            case "rtc.signaling":
                Interlocked.Increment(ref _offersReceived);
                break;
            case "call.hangup":
                if (_hungUp.TryGetValue(callId, out var hungUp)) hungUp.TrySetResult();
                break;
        }
    }

    private static async Task AnswerAsync(ScenarioContext context, ImConnection callee, string callId)
    {
        try
        {
            await StepAsync(context, callee, "call.response", new { callId, type = "ACCEPT" });
        }
        catch (Exception e) when (e is ConnectionLostException or TimeoutException)
        {
            context.Error($"call.response: {e.Message}");
        }
    }
}
