using Microsoft.Extensions.Logging;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Conversations;

/// <summary>
/// Recall, delete for self and clear history for self. They run in the conversation's turn like sends, so a recall
/// never overtakes the send it names, and "clear up to now" is exactly the last seq assigned. What they change lives
/// in the message store: the recalled flag on the message row, and per-user hidden seqs and cleared points in tables of
/// their own that every read on a user's behalf filters by (the reads need no extra call, and msg.sync stays one query
/// per conversation).
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task<ChatMessage> Recall(string? operatorId, long seq, string? msgId, string? exceptConnectionId)
    {
        RequireReadable(operatorId);
        var message = await FindStoredMessageAsync(seq, msgId);
        if (message.Recalled)
            throw new ImException(ImErrorCodes.AlreadyRecalled, $"Message {message.Seq} of conversation '{ConvId}' is already recalled.");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (operatorId is not null)
        {
            if (message.FromClient != operatorId)
                throw new ImException(ImErrorCodes.NotMessageSender, "Only the sender may recall a message.");
            var window = _options.RecallWindow;
            if (window <= TimeSpan.Zero || now - message.CTime > (long)window.TotalMilliseconds)
                throw new ImException(ImErrorCodes.RecallWindowPassed, $"A message can be recalled within {window} of sending.");
        }

        var recalled = await _messages.RecallAsync(ConvId, message.Seq)
            ?? throw new ImException(ImErrorCodes.MessageNotFound, $"Conversation '{ConvId}' has no message {message.Seq}.");
        _logger.LogInformation("Conversation {ConvId}: message {Seq} recalled by {Operator}.", ConvId, recalled.Seq, operatorId ?? "the server API");

        var clientEvent = MessageEditEvents.Recalled(recalled, operatorId, now);
        // A chatroom has no members: whoever is in the room now hears it (the recalling connection too).
        if (IsChatroom) PushToRoom(clientEvent);
        foreach (var member in _members)
        {
            var except = member == operatorId ? exceptConnectionId : null;
            FireAndForget.Run(() => GrainFactory.GetGrain<IUserGrain>(member).Notify(clientEvent, except), _logger, LogLevel.Warning,
                "Conversation {ConvId}: telling {UserId} about the recall of seq {Seq} failed.", ConvId, member, recalled.Seq);
        }
        return recalled;
    }

    public async Task<IReadOnlyList<long>> DeleteForSelf(string userId, IReadOnlyList<long> seqs, IReadOnlyList<string> msgIds, string? exceptConnectionId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        seqs ??= [];
        msgIds ??= [];
        RequireReadable(userId);
        if (seqs.Count + msgIds.Count == 0) throw new ImException(ImErrorCodes.MissingParameter, "Name at least one message (seqs or msg_ids).");
        if (seqs.Count + msgIds.Count > MessageLimits.MaxDeleteSelfIds)
            throw new ImException(ImErrorCodes.LimitExceeded, $"At most {MessageLimits.MaxDeleteSelfIds} messages per request.");

        var named = new SortedSet<long>();
        foreach (var seq in seqs)
        {
            // Seqs are gap-free, so every seq up to the last one names a stored message.
            if (seq < 1 || seq > _lastSeq) throw new ImException(ImErrorCodes.MessageNotFound, $"Conversation '{ConvId}' has no message {seq}.");
            named.Add(seq);
        }
        if (msgIds.Count > 0)
        {
            var found = await _messages.FindByMsgIdsAsync(ConvId, msgIds);
            var missing = msgIds.FirstOrDefault(id => !found.Any(m => m.MsgId == id));
            if (missing is not null) throw new ImException(ImErrorCodes.MessageNotFound, $"Conversation '{ConvId}' has no message '{missing}'.");
            named.UnionWith(found.Select(m => m.Seq));
        }

        if (!await _messages.HideForUserAsync(userId, ConvId, named, MessageLimits.MaxDeletedForSelfPerConversation))
            throw new ImException(ImErrorCodes.LimitExceeded,
                $"At most {MessageLimits.MaxDeletedForSelfPerConversation} messages of one conversation can be deleted for yourself; clear the history instead.");

        var result = named.ToList();
        var clientEvent = MessageEditEvents.DeletedForSelf(ConvId, result, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        FireAndForget.Run(() => GrainFactory.GetGrain<IUserGrain>(userId).Notify(clientEvent, exceptConnectionId), _logger, LogLevel.Warning,
            "Conversation {ConvId}: telling {UserId}'s devices about deleted messages failed.", ConvId, userId);
        return result;
    }

    public async Task<long> ClearHistoryForSelf(string userId, string? exceptConnectionId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        RequireReadable(userId);
        var cleared = await _messages.ClearForUserAsync(userId, ConvId, _lastSeq);
        var clientEvent = MessageEditEvents.ClearedForSelf(ConvId, cleared, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        FireAndForget.Run(() => GrainFactory.GetGrain<IUserGrain>(userId).Notify(clientEvent, exceptConnectionId), _logger, LogLevel.Warning,
            "Conversation {ConvId}: telling {UserId}'s devices about the cleared history failed.", ConvId, userId);
        // What the user cleared is read: the session's unread drops to 0 (other devices get updateSession). Not
        // awaited: the user grain tells this conversation about the read, which would wait for this turn.
        FireAndForget.Run(() => GrainFactory.GetGrain<IUserGrain>(userId).MarkRead(ConvId, cleared, exceptConnectionId), _logger, LogLevel.Warning,
            "Conversation {ConvId}: marking {UserId}'s cleared history read failed.", ConvId, userId);
        return cleared;
    }

    /// <summary>The stored message named by seq (&gt; 0) or msg_id; 4101 when there is none or the two disagree.</summary>
    private async Task<ChatMessage> FindStoredMessageAsync(long seq, string? msgId)
    {
        if (seq < 0) throw new ImException(ImErrorCodes.InvalidParameter, "'seq' must be positive.");
        if (seq == 0 && string.IsNullOrEmpty(msgId)) throw new ImException(ImErrorCodes.MissingParameter, "Name the message by seq or msg_id.");
        ChatMessage? message;
        if (seq > 0)
        {
            message = seq > _lastSeq ? null : (await _messages.GetAfterAsync(ConvId, seq - 1, 1)).FirstOrDefault(m => m.Seq == seq);
            if (message is not null && !string.IsNullOrEmpty(msgId) && message.MsgId != msgId) message = null;
        }
        else
        {
            message = (await _messages.FindByMsgIdsAsync(ConvId, [msgId!])).FirstOrDefault();
        }
        return message ?? throw new ImException(ImErrorCodes.MessageNotFound, $"Conversation '{ConvId}' has no such message.");
    }
}
