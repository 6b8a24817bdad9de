using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>
/// The msg.send frames of one connection on their way to their conversations. Orleans does not promise that calls
/// sent without awaiting arrive in the order they were sent, so frames to one conversation never race each other:
/// while one batch is at the grain, later frames wait here and then go together, in frame order, as the next
/// <see cref="IConversationGrain.SendBatch"/>. Pipelining keeps its throughput (fewer, larger calls) and seq always
/// follows frame order. Frames to different conversations do not wait for each other.
/// <para>
/// A batch whose call fails as retryable (5030: a silo died or is handing its grains over during a rolling
/// restart) is sent again, a few times, when every message in it carries a client_msg_id — the conversation
/// stores such a message at most once, so a resend of one that was stored answers with the original ack.
/// </para>
/// </summary>
public sealed class OrderedSends
{
    /// <summary>
    /// Attempts of one batch while the cluster reports itself unavailable. A shutting-down silo drains in about a
    /// second, but on a loaded machine a handover took longer than the 0.6 s three attempts waited (a CI run's rolling
    /// restart failed one batch after them); five attempts wait 0.2 + 0.4 + 0.6 + 0.8 = 2 s.
    /// </summary>
    public const int MaxAttempts = 5;

    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(200);

    private readonly Dictionary<string, ConversationQueue> _queues = new(StringComparer.Ordinal);

    /// <summary>Queues the send behind this connection's earlier sends to the same conversation; completes with its ack or its error.</summary>
    public Task<SendResult> SendAsync(IConversationGrain conversation, string convId, SendMessageRequest request)
    {
        var pending = new PendingSend(request);
        ConversationQueue queue;
        bool start;
        lock (_queues)
        {
            if (!_queues.TryGetValue(convId, out queue!)) _queues[convId] = queue = new ConversationQueue(conversation);
            queue.Waiting.Add(pending);
            start = !queue.Running;
            queue.Running = true;
        }
        if (start) _ = PumpAsync(convId, queue);
        return pending.Completion.Task;
    }

    private async Task PumpAsync(string convId, ConversationQueue queue)
    {
        while (true)
        {
            List<PendingSend> batch;
            lock (_queues)
            {
                if (queue.Waiting.Count == 0)
                {
                    queue.Running = false;
                    _queues.Remove(convId);
                    return;
                }
                var count = Math.Min(queue.Waiting.Count, MessageLimits.MaxSendBatch);
                batch = queue.Waiting.GetRange(0, count);
                queue.Waiting.RemoveRange(0, count);
            }

            try
            {
                var outcomes = await SendWithRetryAsync(queue.Conversation, batch.ConvertAll(p => p.Request));
                for (var i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i].Result is { } result) batch[i].Completion.TrySetResult(result);
                    else batch[i].Completion.TrySetException(outcomes[i].ToException());
                }
            }
            catch (Exception ex)
            {
                // The call itself failed (a silo went away, a timeout): every frame of the batch gets that error;
                // a resend with the same client_msg_id is idempotent.
                foreach (var pending in batch) pending.Completion.TrySetException(ex);
            }
        }
    }

    private static async Task<IReadOnlyList<SendOutcome>> SendWithRetryAsync(IConversationGrain conversation, List<SendMessageRequest> requests)
    {
        var idempotent = requests.TrueForAll(r => !r.Transient && !string.IsNullOrEmpty(r.ClientMsgId));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await conversation.SendBatch(requests);
            }
            catch (Exception e) when (idempotent && attempt < MaxAttempts && GatewayErrors.Classify(e) is { Code: ImErrorCodes.Unavailable })
            {
                await Task.Delay(RetryBackoff * attempt);
            }
        }
    }

    private sealed class ConversationQueue(IConversationGrain conversation)
    {
        public IConversationGrain Conversation { get; } = conversation;
        public List<PendingSend> Waiting { get; } = [];
        public bool Running { get; set; }
    }

    private sealed class PendingSend(SendMessageRequest request)
    {
        public SendMessageRequest Request { get; } = request;
        // Continuations run inline, on the pump, in frame order: each frame's ack is built and queued (and sent, the
        // socket being idle) without a thread-pool hop of its own; no lock is held while they run.
        public TaskCompletionSource<SendResult> Completion { get; } = new();
    }
}
