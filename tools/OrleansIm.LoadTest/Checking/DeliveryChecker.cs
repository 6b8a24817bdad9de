namespace OrleansIm.LoadTest.Checking;

/// <summary>
/// Proves a run against the server's history: every acknowledged message is stored exactly once with the seq, sender
/// and text it was acknowledged with; one sender's messages in a conversation got seqs in the order they were sent;
/// every push a client received is in history as pushed, reached each receiver once and in seq order; and every
/// recipient got every acknowledged message (pushed, or resynced after a reconnect). Pure: the inputs are what the
/// clients recorded and what history returned, so it is tested on fabricated runs.
/// </summary>
public static class DeliveryChecker
{
    /// <summary>How many problems of each kind are kept as examples (all are counted).</summary>
    public const int ExamplesPerKind = 20;

    public static DeliveryCheckResult Check(IEnumerable<StoredMessage> history, IEnumerable<AckedMessage> acked, IEnumerable<DeliveredMessage> delivered)
    {
        var problems = new Problems();
        var stored = history.ToList();
        var ackedList = acked.ToList();
        var deliveredList = delivered.ToList();

        // History: each message, seq and (sender, client_msg_id) at most once per conversation.
        var byMsgId = new Dictionary<string, StoredMessage>();
        var seqs = new HashSet<(string Conv, long Seq)>();
        var clientIds = new HashSet<(string Conv, string Sender, string ClientMsgId)>();
        foreach (var m in stored)
        {
            if (!byMsgId.TryAdd(m.MsgId, m))
            {
                problems.Add(DeliveryProblemKind.Duplicated, m.ConvId, $"msg_id {m.MsgId} stored twice (seq {byMsgId[m.MsgId].Seq} and {m.Seq})");
                continue;
            }
            if (!seqs.Add((m.ConvId, m.Seq))) problems.Add(DeliveryProblemKind.Duplicated, m.ConvId, $"seq {m.Seq} stored for two messages");
            if (m.ClientMsgId is not null && !clientIds.Add((m.ConvId, m.SenderId, m.ClientMsgId)))
                problems.Add(DeliveryProblemKind.Duplicated, m.ConvId, $"client_msg_id {m.ClientMsgId} of {m.SenderId} stored twice (again as seq {m.Seq})");
        }

        // Acks: stored, as acknowledged.
        foreach (var a in ackedList)
        {
            if (!byMsgId.TryGetValue(a.MsgId, out var m))
                problems.Add(DeliveryProblemKind.Lost, a.ConvId, $"{a.SenderId}'s {a.ClientMsgId} (msg_id {a.MsgId}, seq {a.Seq}) was acked but is not in history");
            else if (m.Seq != a.Seq || m.SenderId != a.SenderId || m.TextHash != a.TextHash || m.ConvId != a.ConvId)
                problems.Add(DeliveryProblemKind.Mismatched, a.ConvId, $"{a.SenderId}'s {a.ClientMsgId} was acked as seq {a.Seq}, history has seq {m.Seq} from {m.SenderId}" +
                                                                      (m.TextHash != a.TextHash ? " with another text" : ""));
        }

        // Send order per sender and conversation.
        foreach (var group in ackedList.GroupBy(a => (a.ConvId, a.SenderId)))
        {
            long previous = long.MinValue;
            string? previousId = null;
            foreach (var a in group.OrderBy(a => a.SendOrder))
            {
                var seq = byMsgId.TryGetValue(a.MsgId, out var m) ? m.Seq : a.Seq;
                if (seq <= previous)
                    problems.Add(DeliveryProblemKind.Disordered, a.ConvId, $"{a.SenderId} sent {previousId} before {a.ClientMsgId}, but they got seqs {previous} and {seq}");
                previous = seq;
                previousId = a.ClientMsgId;
            }
        }

        // Deliveries: as stored, once per receiver, pushes in seq order per receiver and conversation.
        var received = new HashSet<(string Receiver, string MsgId)>();
        var lastPushed = new Dictionary<(string Receiver, string Conv), long>();
        foreach (var d in deliveredList)
        {
            if (!received.Add((d.ReceiverId, d.MsgId)))
            {
                problems.Add(DeliveryProblemKind.Duplicated, d.ConvId, $"msg_id {d.MsgId} (seq {d.Seq}) reached {d.ReceiverId} twice");
                continue;
            }
            if (!byMsgId.TryGetValue(d.MsgId, out var m))
                problems.Add(DeliveryProblemKind.Mismatched, d.ConvId, $"{d.ReceiverId} received msg_id {d.MsgId} (seq {d.Seq}) that history does not have");
            else if (m.Seq != d.Seq || m.SenderId != d.SenderId || m.TextHash != d.TextHash || m.ConvId != d.ConvId)
                problems.Add(DeliveryProblemKind.Mismatched, d.ConvId, $"{d.ReceiverId} received seq {d.Seq} from {d.SenderId}, history has seq {m.Seq} from {m.SenderId}" +
                                                                      (m.TextHash != d.TextHash ? " with another text" : ""));
            if (d.Resynced) continue;
            var key = (d.ReceiverId, d.ConvId);
            if (lastPushed.TryGetValue(key, out var last) && d.Seq <= last)
                problems.Add(DeliveryProblemKind.Disordered, d.ConvId, $"{d.ReceiverId} got seq {d.Seq} pushed after seq {last}");
            lastPushed[key] = Math.Max(last, d.Seq);
        }

        // Every recipient got every acknowledged message that is stored.
        foreach (var a in ackedList)
        {
            if (!byMsgId.ContainsKey(a.MsgId)) continue; // already counted as lost
            foreach (var recipient in a.Recipients)
            {
                if (!received.Contains((recipient, a.MsgId)))
                    problems.Add(DeliveryProblemKind.Undelivered, a.ConvId, $"{recipient} never received {a.SenderId}'s seq {a.Seq}");
            }
        }

        var conversations = stored.Select(m => m.ConvId).Concat(ackedList.Select(a => a.ConvId)).Distinct().Count();
        return new DeliveryCheckResult(conversations, stored.Count, ackedList.Count, deliveredList.Count, problems.Counts, problems.Examples);
    }

    private sealed class Problems
    {
        public Dictionary<DeliveryProblemKind, long> Counts { get; } = Enum.GetValues<DeliveryProblemKind>().ToDictionary(k => k, _ => 0L);

        public List<DeliveryProblem> Examples { get; } = [];

        public void Add(DeliveryProblemKind kind, string convId, string detail)
        {
            if (Counts[kind]++ < ExamplesPerKind) Examples.Add(new DeliveryProblem(kind, convId, detail));
        }
    }
}
