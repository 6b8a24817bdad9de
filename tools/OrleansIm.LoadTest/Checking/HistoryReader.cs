using System.Collections.Concurrent;
using System.Text.Json;
using OrleansIm.LoadTest.Client;
using OrleansIm.LoadTest.Scenarios;

namespace OrleansIm.LoadTest.Checking;

/// <summary>
/// Reads the whole history of every conversation of a run, oldest first, with <c>msg.history</c> <c>after_seq</c>
/// pages of 100 (docs/protocol.md § Frames) over a socket of a member. The socket uses its own device type
/// (<c>im_pc_mac</c>), so it replaces none of the run's sockets.
/// </summary>
public static class HistoryReader
{
    private const int PageSize = 100;

    public static async Task<IReadOnlyList<StoredMessage>> ReadAsync(ScenarioContext context)
    {
        var stored = new ConcurrentQueue<StoredMessage>();
        await Parallel.ForEachAsync(context.Ledger.Conversations, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (conversation, _) =>
        {
            var (convId, member) = conversation;
            await using var connection = await ImConnection.ConnectAsync(context.Gateway(member.Index), member, (_, _, _) => { }, "im_pc_mac");
            long after = 0;
            while (true)
            {
                var reply = await connection.RequestAsync("msg.history", new { conv_id = convId, after_seq = after, limit = PageSize });
                if (!reply.Ok) throw new InvalidOperationException($"msg.history of {convId}: {reply}");
                foreach (var m in reply.Data.GetProperty("messages").EnumerateArray())
                {
                    var seq = m.GetProperty("seq").GetInt64();
                    stored.Enqueue(new StoredMessage(convId, m.GetProperty("msg_id").GetString()!, seq, m.GetProperty("from_client").GetString()!,
                        m.TryGetProperty("client_msg_id", out var c) ? c.GetString() : null, m.TryGetProperty("text", out var t) ? t.GetString()?.GetHashCode() ?? 0 : 0));
                    after = Math.Max(after, seq);
                }
                if (reply.Data.GetProperty("has_more").ValueKind != JsonValueKind.True) break;
            }
        });
        return stored.ToList();
    }
}
