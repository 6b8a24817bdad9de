using System.Diagnostics;
using System.Text.Json;
using OrleansIm.LoadTest.Client;

namespace OrleansIm.LoadTest.Scenarios;

/// <summary>
/// 1:1 chat: users in pairs, each pair a private conversation in which the first user sends and the second receives
/// (sender and receiver on different gateways when there are several). As a reconnect storm, halfway through every
/// socket is dropped at once (no close handshake), all reconnect as fast as they can, receivers resync with
/// <c>msg.sync</c> from the last seq they saw, and senders resend what was in flight with the same
/// <c>client_msg_id</c>.
/// </summary>
public sealed class ChatScenario(bool reconnectStorm) : IScenario
{
    public async Task RunAsync(ScenarioContext context)
    {
        var pairs = context.Settings.Users / 2;
        var users = await context.LoginUsersAsync("c", pairs * 2);
        var convIds = new string[pairs];
        await Parallel.ForAsync(0, pairs, new ParallelOptions { MaxDegreeOfParallelism = context.Settings.Concurrency }, async (i, _) =>
        {
            convIds[i] = await context.Api.CreateConversationAsync(users[2 * i].Id, [users[2 * i + 1].Id], convType: 1);
            context.Ledger.Conversations[convIds[i]] = users[2 * i];
        });
        var receivers = users.ToDictionary(u => u.Id, u => new MessageReceiver(u, context, deduplicate: reconnectStorm));
        // Sender of pair i on gateway i, its receiver on gateway i + 1.
        var connections = await context.ConnectAllAsync(users, u => receivers[u.Id].OnPush);
        var slots = Enumerable.Range(0, pairs).Select(i => new SenderSlot(users[2 * i], connections[2 * i], convIds[i], [users[2 * i + 1].Id])).ToArray();

        context.Phase = "running";
        context.Metrics.Start(context.Settings.WarmUp);
        using var stop = new CancellationTokenSource(context.Settings.RunTime);
        var traffic = new MessageTraffic(context, slots, survivesReconnects: reconnectStorm);
        var running = traffic.RunAsync(stop.Token);
        if (reconnectStorm)
        {
            await Task.Delay(context.Settings.WarmUp + context.Settings.Duration / 2);
            connections = await ReconnectAllAsync(context, users, connections, slots, receivers);
        }
        await running;
        await ScenarioContext.CloseAllAsync(connections);
    }

    private static async Task<ImConnection[]> ReconnectAllAsync(ScenarioContext context, ImUser[] users, ImConnection[] connections, SenderSlot[] slots,
        Dictionary<string, MessageReceiver> receivers)
    {
        context.Phase = "reconnect storm";
        foreach (var connection in connections) connection.Abort();
        var started = Stopwatch.StartNew();
        var fresh = new ImConnection?[users.Length];
        long resynced = 0;
        await Parallel.ForAsync(0, users.Length, new ParallelOptions { MaxDegreeOfParallelism = context.Settings.Concurrency }, async (i, _) =>
        {
            for (var attempt = 0; fresh[i] is null && attempt < 20; attempt++)
            {
                fresh[i] = await context.ConnectAsync(users[i], i, receivers[users[i].Id].OnPush);
                if (fresh[i] is null) await Task.Delay(100 * (attempt + 1));
            }
            if (fresh[i] is null) return;
            if (i % 2 == 0) slots[i / 2].Replace(fresh[i]!);
            else Interlocked.Add(ref resynced, await ResyncAsync(context, fresh[i]!, receivers[users[i].Id]));
        });
        context.Extra["reconnect storm seconds"] = started.Elapsed.TotalSeconds;
        context.Extra["reconnects/s"] = fresh.Count(c => c is not null) / started.Elapsed.TotalSeconds;
        context.Extra["messages returned by msg.sync"] = resynced;
        context.Phase = "running";
        return fresh.Select((c, i) => c ?? connections[i]).ToArray();
    }

    /// <summary>msg.sync from the receiver's cursors until nothing is left (docs/protocol.md § Heartbeats and resync).</summary>
    private static async Task<long> ResyncAsync(ScenarioContext context, ImConnection connection, MessageReceiver receiver)
    {
        long count = 0;
        for (var round = 0; round < 1000; round++)
        {
            var cursors = receiver.Cursors();
            if (cursors.Count == 0) cursors = context.Ledger.Conversations.Where(c => c.Value.Index + 1 == receiver.User.Index)
                .ToDictionary(c => c.Key, _ => 0L);
            Reply reply;
            try
            {
                reply = await connection.RequestAsync("msg.sync", new { cursors, limit = 100 });
            }
            catch (Exception e) when (e is ConnectionLostException or TimeoutException)
            {
                context.Error($"msg.sync: {e.Message}");
                return count;
            }
            if (!reply.Ok)
            {
                context.Error($"msg.sync: {reply}");
                return count;
            }
            var more = false;
            foreach (var conversation in reply.Data.GetProperty("conversations").EnumerateArray())
            {
                if (!conversation.TryGetProperty("messages", out var messages)) continue;
                foreach (var message in messages.EnumerateArray())
                {
                    receiver.Receive(message, resynced: true);
                    count++;
                }
                more |= conversation.TryGetProperty("has_more", out var m) && m.ValueKind == JsonValueKind.True;
            }
            if (!more) return count;
        }
        return count;
    }
}
