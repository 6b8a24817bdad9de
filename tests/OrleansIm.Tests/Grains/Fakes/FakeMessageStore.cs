using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Tests.Grains.Fakes;

/// <summary>
/// Minimal in-memory <see cref="IMessageStore"/> with the contract's uniqueness rules, so grain tests do not
/// depend on the storage branch. Replace with the real MemoryMessageStore once it is merged.
/// </summary>
internal sealed class FakeMessageStore : IMessageStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<long, ChatMessage>> _byConversation = new();

    public int AppendCalls { get; private set; }

    public Task<(ChatMessage Stored, bool Duplicate)> AppendAsync(ChatMessage message)
    {
        lock (_gate)
        {
            AppendCalls++;
            var messages = Messages(message.ConvId);
            if (message.ClientMsgId is not null)
            {
                var existing = messages.Values.FirstOrDefault(m => m.FromClient == message.FromClient && m.ClientMsgId == message.ClientMsgId);
                if (existing is not null) return Task.FromResult((existing, true));
            }
            if (messages.ContainsKey(message.Seq)) throw new SequenceConflictException(message.ConvId, message.Seq);
            messages[message.Seq] = message;
            return Task.FromResult((message, false));
        }
    }

    /// <summary>Puts a message straight into the store, as another activation would have.</summary>
    public void Inject(ChatMessage message)
    {
        lock (_gate) Messages(message.ConvId)[message.Seq] = message;
    }

    public Task<long> GetLastSeqAsync(string convId)
    {
        lock (_gate) return Task.FromResult(Messages(convId).Keys.DefaultIfEmpty(0).Max());
    }

    public Task<long> CountAsync(string convId)
    {
        lock (_gate) return Task.FromResult((long)Messages(convId).Count);
    }

    public Task<IReadOnlyList<ChatMessage>> GetPageAsync(string convId, int page, int size)
    {
        lock (_gate)
        {
            IReadOnlyList<ChatMessage> items = Messages(convId).Values.Reverse().Skip((page - 1) * size).Take(size).ToList();
            return Task.FromResult(items);
        }
    }

    public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string convId, long afterSeq, int limit)
    {
        lock (_gate)
        {
            IReadOnlyList<ChatMessage> items = Messages(convId).Values.Where(m => m.Seq > afterSeq).Take(limit).ToList();
            return Task.FromResult(items);
        }
    }

    public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string convId, long beforeSeq, int limit)
    {
        lock (_gate)
        {
            IReadOnlyList<ChatMessage> items = Messages(convId).Values.Reverse().Where(m => m.Seq < beforeSeq).Take(limit).ToList();
            return Task.FromResult(items);
        }
    }

    public Task DeleteConversationAsync(string convId)
    {
        lock (_gate) _byConversation.Remove(convId);
        return Task.CompletedTask;
    }

    private SortedDictionary<long, ChatMessage> Messages(string convId)
    {
        if (!_byConversation.TryGetValue(convId, out var messages))
        {
            messages = new SortedDictionary<long, ChatMessage>();
            _byConversation[convId] = messages;
        }
        return messages;
    }
}
