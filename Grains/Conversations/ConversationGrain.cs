using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Grains.Conversations;

/// <summary>
/// A conversation: metadata in grain state, members in <see cref="IConversationMemberStore"/> (one row each, kept in
/// memory while active), messages in <see cref="IMessageStore"/>, a query row in <see cref="IConversationIndex"/>. Sends are serialized by the activation, which is what
/// makes seq assignment gap-free and fan-out ordered. Recall and the per-user deletes are in ConversationGrain.Recall.cs, teams (owner, managers, mutes, invitations) in ConversationGrain.Team.cs.
/// Reads on a user's behalf leave out what that user deleted or cleared for themselves (the store filters by viewer).
/// </summary>
[GrainType("conversation")]
public sealed partial class ConversationGrain : PersistentGrain<ConversationState>, IConversationGrain
{
    /// <summary>Seed 003's default page size for message lists.</summary>
    public const int DefaultHistoryPageSize = 10;

    /// <summary>
    /// Attempts of one send when another activation took our seq: during a handover between silos two
    /// activations may append for a moment, so each conflict reloads the sequence and retries after a short,
    /// random pause (so the two do not keep colliding in lockstep).
    /// </summary>
    private const int MaxAppendAttempts = 10;

    private static readonly TimeSpan IndexRetryPeriod = TimeSpan.FromSeconds(5);

    private readonly IMessageStore _messages;
    private readonly IConversationMemberStore _memberStore;
    private readonly IConversationIndex _index;
    private readonly ImGrainOptions _options;
    private readonly ILogger<ConversationGrain> _logger;

    // This activation's fan-out stream and the number it last gave each member: one-way Deliver calls may overtake each
    // other between silos, and the user grain puts them back in this order (FanOutOrder).
    private readonly long _fanOutStream = Users.FanOutStreamIds.New(DateTimeOffset.UtcNow);
    private readonly Dictionary<string, long> _fanOutNumbers = new(StringComparer.Ordinal);

    // Members in join order (the creator first) and the same as a set; loaded from the member store on activation, and
    // changed only after the store has the change.
    private readonly List<string> _members = [];
    private readonly HashSet<string> _memberSet = new(StringComparer.Ordinal);
    private long _lastSeq;
    private IGrainTimer? _indexRetry;

    // Members' read positions (receipts): in memory, written lazily to their own state (ReadReceiptState).
    private readonly IPersistentState<ReadReceiptState> _receiptState;
    private ReadReceipts _receipts = new([]);
    private IGrainTimer? _receiptFlush;

    // Group receipts waiting to be pushed: the seqs (from, to] whose read counts changed since the last push.
    private long _receiptsChangedAfter = long.MaxValue;
    private long _receiptsChangedUpTo;
    private IGrainTimer? _receiptPush;

    public ConversationGrain(
        [PersistentState("conversation")] IPersistentState<ConversationState> state,
        [PersistentState("receipts")] IPersistentState<ReadReceiptState> receiptState,
        [PersistentState("team")] IPersistentState<TeamState> teamState,
        IMessageStore messages, IConversationMemberStore memberStore, IConversationIndex index, IOptions<ImGrainOptions> options,
        ILogger<ConversationGrain> logger)
        : base(state)
    {
        _receiptState = receiptState;
        _teamState = teamState;
        _messages = messages;
        _memberStore = memberStore;
        _index = index;
        _options = options.Value;
        _logger = logger;
    }

    private string ConvId => this.GetPrimaryKeyString();

    private bool Exists => State.Created && !State.Deleted;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Deleted)
        {
            await TryFinishDeleteAsync();
            return;
        }
        if (!State.Created) return;

        await LoadMembersAsync();
        _receipts = new ReadReceipts(_receiptState.State.ReadSeqs);
        _lastSeq = await _messages.GetLastSeqAsync(ConvId);
        await TryUpsertIndexAsync(); // heals an index write lost by an earlier activation
    }

    public Task<ConversationInfo> Create(CreateConversationRequest request) => CreateAsync(request, alone: false);

    /// <param name="alone">True for a team, which may start with its owner alone; seed 003's create needs to_client_ids.</param>
    private async Task<ConversationInfo> CreateAsync(CreateConversationRequest request, bool alone)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ConversationIds.IsValid(ConvId))
            throw new ImException(ImErrorCodes.InvalidParameter, $"'{ConvId}' is not a valid conversation id.");
        if (!ConversationTypes.IsValid(request.ConvType))
            throw new ImException(ImErrorCodes.InvalidConversationType, $"Conversation type {request.ConvType} is not 1-4.");
        if (request.ConvType == ConversationTypes.Chatroom) return await CreateChatroomAsync(request); // no members (ConversationGrain.Chatroom.cs)
        if (string.IsNullOrEmpty(request.AppId))
            throw new ImException(ImErrorCodes.MissingParameter, "app_id is required.");
        if (request.ToClientIds is null || (request.ToClientIds.Count == 0 && !alone))
            throw new ImException(ImErrorCodes.MissingParameter, "to_client_ids is required.");
        RequireValidUserId(request.CreatorId);
        foreach (var id in request.ToClientIds) RequireValidUserId(id);
        RequireJsonOrNull(request.ConvExtend, "conv_extend");

        var members = new List<string> { request.CreatorId };
        foreach (var id in request.ToClientIds)
        {
            if (!members.Contains(id, StringComparer.Ordinal)) members.Add(id);
        }

        if (request.ConvType == ConversationTypes.Private)
        {
            if (members.Count != 2)
                throw new ImException(ImErrorCodes.InvalidParameter, "A private conversation has exactly two distinct members.");
            // The id is derived from the pair so that two creates of the same pair meet in this grain.
            var expectedId = ConversationIds.ForPrivate(request.AppId, members[0], members[1]);
            if (expectedId != ConvId)
                throw new ImException(ImErrorCodes.InvalidParameter, $"A private conversation of these members must have id '{expectedId}' (ConversationIds.ForPrivate).");
        }
        if (members.Count > _options.MaxGroupMembers)
            throw new ImException(ImErrorCodes.LimitExceeded, $"A conversation has at most {_options.MaxGroupMembers} members.");

        if (Exists)
        {
            if (request.ConvType == ConversationTypes.Private && State.ConvType == ConversationTypes.Private
                && State.AppId == request.AppId && _memberSet.SetEquals(members))
            {
                await JoinMembersAsync(_members); // idempotent; also repairs a member list a failed earlier create missed
                return ToInfo();
            }
            throw new ImException(ImErrorCodes.ConversationExists, $"Conversation '{ConvId}' already exists.");
        }

        await RequireRegisteredAsync(members);

        // The member rows first, then the state that says the conversation exists: a create that stops in between leaves
        // rows of a conversation that does not exist, which nothing reads and the next create of this id replaces.
        await WriteMembersAsync(async () =>
        {
            await _memberStore.DeleteConversationAsync(ConvId);
            await _memberStore.AddAsync(ConvId, members);
        });
        State = new ConversationState
        {
            Created = true,
            ConvType = request.ConvType,
            AppId = request.AppId,
            CreatorId = request.CreatorId,
            ConvExtend = request.ConvExtend,
            CTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            BlockedBy = State.BlockedBy, // written by SetBlocked before the conversation existed
        };
        await WriteStateAsync();
        SetMembers(members);
        // Messages left behind by an interrupted delete must not be overwritten seq-for-seq.
        _lastSeq = await _messages.GetLastSeqAsync(ConvId);

        await TryUpsertIndexAsync();
        await JoinMembersAsync(members);
        _logger.LogInformation("Conversation {ConvId} (type {ConvType}) created by {CreatorId} with {Count} members.", ConvId, request.ConvType, request.CreatorId, members.Count);
        return ToInfo();
    }

    public Task<ConversationInfo> GetInfo(string? requesterId)
    {
        RequireReadable(requesterId);
        return Task.FromResult(ToInfo());
    }

    public Task<long> GetLastSeq()
    {
        EnsureExists();
        return Task.FromResult(_lastSeq);
    }

    public async Task UpdateExtend(string? convExtend)
    {
        EnsureExists();
        RequireJsonOrNull(convExtend, "conv_extend");
        State.ConvExtend = convExtend;
        State.MTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await WriteStateAsync();
        await TryUpsertIndexAsync();
    }

    public async Task Delete()
    {
        EnsureExists();
        if (State.ConvType == ConversationTypes.Group) NotifyDismissed(operatorId: null, exceptConnectionId: null);
        await DeleteExistingAsync();
    }

    private async Task DeleteExistingAsync()
    {
        State.Deleted = true;
        await WriteStateAsync();
        CloseChatroom();
        _logger.LogInformation("Conversation {ConvId} deleted.", ConvId);
        try
        {
            await FinishDeleteAsync();
        }
        catch
        {
            DeactivateOnIdle(); // the next activation sees Deleted and finishes the cleanup
            throw;
        }
    }

    public async Task AddMembers(IReadOnlyList<string> userIds)
    {
        EnsureExists();
        if (userIds is null || userIds.Count == 0)
            throw new ImException(ImErrorCodes.MissingParameter, "client_ids is required.");
        foreach (var id in userIds) RequireValidUserId(id);

        var added = userIds.Distinct(StringComparer.Ordinal).Where(id => !_memberSet.Contains(id)).ToList();
        if (added.Count == 0) return;
        if (State.ConvType == ConversationTypes.Private)
            throw new ImException(ImErrorCodes.InvalidParameter, "Members cannot be added to a private conversation.");
        if (IsChatroom)
            throw new ImException(ImErrorCodes.InvalidConversationType, "A chatroom has no members to add: clients enter it (chatroom.enter).");
        if (_members.Count + added.Count > _options.MaxGroupMembers)
            throw new ImException(ImErrorCodes.LimitExceeded, $"A conversation has at most {_options.MaxGroupMembers} members.");
        await RequireRegisteredAsync(added);

        await AddMembersToStoreAsync(added);
        await TryUpsertIndexAsync();
        await JoinMembersAsync(added);
        if (State.ConvType == ConversationTypes.Group) NotifyMembersAdded(added, operatorId: null, exceptConnectionId: null);
    }

    public Task<IReadOnlyList<string>> GetMembers(string? requesterId)
    {
        RequireReadable(requesterId);
        return Task.FromResult<IReadOnlyList<string>>(_members.ToList());
    }

    /// <summary>
    /// A connection's pipelined sends to this conversation, answered one outcome each, in order. Messages that pass their
    /// checks are appended as runs in ONE store write each (one commit wait for the run instead of one per message), then
    /// fanned out in seq order; a transient message ends the run before it, so pushes keep the order of the requests.
    /// A store failure fails the messages of its run (code 5000); a client error fails only its own message.
    /// </summary>
    public async Task<IReadOnlyList<SendOutcome>> SendBatch(IReadOnlyList<SendMessageRequest> requests)
    {
        if (requests is null || requests.Count == 0)
            throw new ImException(ImErrorCodes.MissingParameter, "At least one message is required.");
        if (requests.Count > MessageLimits.MaxSendBatch)
            throw new ImException(ImErrorCodes.LimitExceeded, $"At most {MessageLimits.MaxSendBatch} messages per batch.");
        var outcomes = new SendOutcome[requests.Count];
        var run = new List<(int Index, ChatMessage Draft)>();
        for (var i = 0; i < requests.Count; i++)
        {
            ChatMessage draft;
            try
            {
                draft = Draft(requests[i]);
            }
            catch (ImException ex)
            {
                outcomes[i] = SendOutcome.Failed(ex.Code, ex.Message);
                continue;
            }
            if (!draft.Transient)
            {
                run.Add((i, draft));
                continue;
            }
            await AppendRunAsync(run, outcomes);
            outcomes[i] = SendOutcome.Ok(SendTransient(draft));
        }
        await AppendRunAsync(run, outcomes);
        return outcomes;
    }

    public async Task<SendResult> Send(SendMessageRequest request)
    {
        var draft = Draft(request);
        return draft.Transient ? SendTransient(draft) : (await AppendAndFanOutAsync([draft]))[0];
    }

    /// <summary>Checks a send (membership, mutes, blocks, the message itself) and makes its message, seq not yet given.</summary>
    private ChatMessage Draft(SendMessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureExists();
        if (string.IsNullOrEmpty(request.FromClient))
            throw new ImException(ImErrorCodes.MissingParameter, "from_client is required.");
        if (IsChatroom) AdmitChatroomSender(request.FromClient);
        else RequireMember(request.FromClient);
        RequireMayTalk(request.FromClient);
        RefuseIfBlocked(request.FromClient);
        ValidateMessage(request);

        return new ChatMessage(
            ConvId, Seq: 0, MsgId: MessageIds.NewRandom(), request.FromClient, request.Type,
            request.Text, request.Attr, request.Url, CTime: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), request.Transient,
            request.NoSync, request.MentionAll, request.MentionClientIds, request.ClientMsgId);
    }

    /// <summary>Transient: never stored, no seq, no idempotency (nothing to look a resend up in).</summary>
    private SendResult SendTransient(ChatMessage draft)
    {
        FanOut(draft);
        return new SendResult(draft.MsgId, 0, draft.CTime, Duplicate: false);
    }

    /// <summary>Appends a batch's run of checked messages and records each outcome; the run is emptied.</summary>
    private async Task AppendRunAsync(List<(int Index, ChatMessage Draft)> run, SendOutcome[] outcomes)
    {
        if (run.Count == 0) return;
        try
        {
            var results = await AppendAndFanOutAsync(run.ConvertAll(r => r.Draft));
            for (var i = 0; i < run.Count; i++) outcomes[run[i].Index] = SendOutcome.Ok(results[i]);
        }
        catch (ImException ex)
        {
            foreach (var (index, _) in run) outcomes[index] = SendOutcome.Failed(ex.Code, ex.Message);
        }
        catch (Exception ex)
        {
            // A failed write (not a client error): these messages fail as single sends would; the batch's others go on.
            _logger.LogError(ex, "Conversation {ConvId}: a batched send of {Count} messages failed.", ConvId, run.Count);
            foreach (var (index, _) in run) outcomes[index] = SendOutcome.Failed(ImErrorCodes.Internal, "Internal server error.");
        }
        run.Clear();
    }

    /// <summary>
    /// Gives the drafts the next seqs, appends them in one store write and fans the new ones out in seq order. A resend
    /// (same client_msg_id) was stored and fanned out the first time: it gets that message's ack only, and no seq.
    /// </summary>
    private async Task<SendResult[]> AppendAndFanOutAsync(IReadOnlyList<ChatMessage> drafts)
    {
        for (var attempt = 1; attempt <= MaxAppendAttempts; attempt++)
        {
            IReadOnlyList<(ChatMessage Stored, bool Duplicate)> appended;
            try
            {
                var first = drafts[0].WithSeq(_lastSeq + 1);
                appended = drafts.Count == 1
                    ? [await _messages.AppendAsync(first)]
                    : await _messages.AppendBatchAsync([first, .. drafts.Skip(1)]);
            }
            catch (SequenceConflictException ex)
            {
                _logger.LogWarning("Conversation {ConvId}: seq {Seq} already taken (attempt {Attempt}); reloading the sequence.", ConvId, ex.Seq, attempt);
                await Task.Delay(Random.Shared.Next(2, 20 * attempt));
                _lastSeq = await _messages.GetLastSeqAsync(ConvId);
                continue;
            }

            var results = new SendResult[appended.Count];
            for (var i = 0; i < appended.Count; i++)
            {
                var (stored, duplicate) = appended[i];
                if (!duplicate)
                {
                    _lastSeq = stored.Seq;
                    FanOut(stored);
                }
                results[i] = new SendResult(stored.MsgId, stored.Seq, stored.CTime, duplicate);
            }
            return results;
        }

        throw new ImException(ImErrorCodes.Internal, $"Could not assign a sequence number in conversation '{ConvId}'; try again.");
    }

    public async Task<MessagePage> GetHistory(string? requesterId, int page, int size)
    {
        RequireReadable(requesterId);
        page = Math.Max(page, 1);
        size = size <= 0 ? DefaultHistoryPageSize : Math.Min(size, MessageLimits.MaxPageSize);
        var items = await _messages.GetPageAsync(ConvId, page, size, requesterId);
        var total = await _messages.CountAsync(ConvId, requesterId);
        return new MessagePage(items, total, page, size);
    }

    public async Task<IReadOnlyList<ChatMessage>> GetMessagesAfter(string? requesterId, long afterSeq, int limit)
    {
        RequireReadable(requesterId);
        return await _messages.GetAfterAsync(ConvId, Math.Max(afterSeq, 0), ClampLimit(limit), requesterId);
    }

    public async Task<IReadOnlyList<ChatMessage>> GetMessagesBefore(string? requesterId, long beforeSeq, int limit)
    {
        RequireReadable(requesterId);
        // No cursor (<= 0) means "from the newest message".
        return await _messages.GetBeforeAsync(ConvId, beforeSeq <= 0 ? long.MaxValue : beforeSeq, ClampLimit(limit), requesterId);
    }

    private static int ClampLimit(int limit) => limit <= 0 ? MessageLimits.MaxPageSize : Math.Min(limit, MessageLimits.MaxPageSize);

    private void EnsureExists()
    {
        ForgetIfUnknown();
        if (!Exists) throw new ImException(ImErrorCodes.ConversationNotFound, $"Conversation '{ConvId}' does not exist.");
    }

    /// <summary>Null requester = trusted server-side caller.</summary>
    private void RequireMember(string? requesterId)
    {
        if (requesterId is not null && !_memberSet.Contains(requesterId)) throw ImException.NotMember(requesterId, ConvId);
    }

    /// <summary>
    /// A read on a user's behalf: a conversation that does not exist answers that user exactly like one they are not in
    /// (4003), so reads cannot probe which conversations exist. A trusted caller (null requester) still gets 4004.
    /// </summary>
    private void RequireReadable(string? requesterId)
    {
        ForgetIfUnknown();
        if (requesterId is not null && !(Exists && (_memberSet.Contains(requesterId) || IsInRoom(requesterId)))) throw ImException.NotMember(requesterId, ConvId);
        EnsureExists();
    }

    /// <summary>
    /// A request naming a conversation that does not exist (a typo, a probe, a derived private id nobody created) must
    /// not keep an activation for the collection age: the activation goes after this call. An interrupted delete is
    /// finished by the next activation.
    /// </summary>
    private void ForgetIfUnknown()
    {
        if (!Exists) DeactivateOnIdle();
    }

    private static void RequireValidUserId(string? userId)
    {
        if (!UserIds.IsValid(userId))
            throw new ImException(ImErrorCodes.InvalidUserId, $"User id '{userId}' must be 1-{UserIds.MaxLength} letters, digits, '_' or '-'.");
    }

    private static void RequireJsonOrNull(string? json, string name)
    {
        if (json is null) return;
        if (!IsJson(json)) throw new ImException(ImErrorCodes.InvalidParameter, $"{name} must be JSON.");
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ValidateMessage(SendMessageRequest request)
    {
        if (!MessageTypes.IsValid(request.Type))
            throw new ImException(ImErrorCodes.InvalidParameter, $"Message type {request.Type} is not -1..-6.");
        if (request.Type == MessageTypes.Text && string.IsNullOrEmpty(request.Text))
            throw new ImException(ImErrorCodes.MissingParameter, "text is required for a text message.");
        if (request.Text?.Length > MessageLimits.MaxTextLength)
            throw new ImException(ImErrorCodes.LimitExceeded, $"text is longer than {MessageLimits.MaxTextLength} characters.");
        if (request.Attr?.Length > MessageLimits.MaxAttrLength)
            throw new ImException(ImErrorCodes.LimitExceeded, $"attr is longer than {MessageLimits.MaxAttrLength} characters.");
        if (request.Url?.Length > MessageLimits.MaxUrlLength)
            throw new ImException(ImErrorCodes.LimitExceeded, $"url is longer than {MessageLimits.MaxUrlLength} characters.");
        if (request.ClientMsgId?.Length > MessageLimits.MaxClientMsgIdLength)
            throw new ImException(ImErrorCodes.LimitExceeded, $"client_msg_id is longer than {MessageLimits.MaxClientMsgIdLength} characters.");
        // U+0000 cannot be stored in PostgreSQL text columns; refuse it on every store so behaviour does not depend on the backend.
        if (ContainsNul(request.Text) || ContainsNul(request.Attr) || ContainsNul(request.Url) || ContainsNul(request.ClientMsgId))
            throw new ImException(ImErrorCodes.InvalidParameter, "Message fields must not contain the NUL character (U+0000).");
        RequireJsonOrNull(request.Attr, "attr");
        if (request.MentionClientIds is not null) ValidateMentions(request.MentionClientIds);
    }

    private static bool ContainsNul(string? value) => value is not null && value.Contains('\0');

    private static void ValidateMentions(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw new ImException(ImErrorCodes.InvalidParameter, "mention_client_ids must be a JSON array of user ids.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null) return;
            if (root.ValueKind != JsonValueKind.Array)
                throw new ImException(ImErrorCodes.InvalidParameter, "mention_client_ids must be a JSON array of user ids.");
            if (root.GetArrayLength() > MessageLimits.MaxMentions)
                throw new ImException(ImErrorCodes.LimitExceeded, $"At most {MessageLimits.MaxMentions} users can be mentioned.");
        }
    }

    /// <summary>Throws 211 naming the first member that never logged in.</summary>
    private async Task RequireRegisteredAsync(IReadOnlyList<string> userIds)
    {
        var profiles = await Task.WhenAll(userIds.Select(id => GrainFactory.GetGrain<IUserGrain>(id).GetProfile()));
        for (var i = 0; i < userIds.Count; i++)
        {
            if (profiles[i] is null)
                throw new ImException(ImErrorCodes.UnknownUser, $"Unknown user '{userIds[i]}'.");
        }
    }

    /// <summary>
    /// One-way Deliver to every member, issued in seq order within this turn so each recipient sees this
    /// conversation's messages in order. Not awaited: a slow recipient must not hold up the sender's ack. The sender
    /// is skipped when its own devices are not to be synced (no_sync 0): it has the ack, and the call would only move
    /// its in-memory delivered cursor, one Orleans message per chat message for nothing.
    /// </summary>
    private void FanOut(ChatMessage message)
    {
        if (IsChatroom)
        {
            FanOutToRoom(message);
            return;
        }
        foreach (var member in _members)
        {
            if (message.NoSync == 0 && member == message.FromClient) continue;
            var number = ++CollectionsMarshal.GetValueRefOrAddDefault(_fanOutNumbers, member, out _);
            FireAndForget.Run(() => GrainFactory.GetGrainWithCachedType<IUserGrain>(member).Deliver(message, _fanOutStream, number), _logger, LogLevel.Warning,
                "Conversation {ConvId}: delivering seq {Seq} to {UserId} failed.", message.ConvId, message.Seq, member);
        }
    }

    /// <summary>
    /// Members' conversation lists are derived data: a failed join is logged, not thrown, because the
    /// conversation itself is already durable (a repeated private create re-sends the joins).
    /// </summary>
    private async Task JoinMembersAsync(IEnumerable<string> members)
    {
        var joins = members.Select(async member =>
        {
            try
            {
                await GrainFactory.GetGrain<IUserGrain>(member).JoinConversation(ConvId);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Conversation {ConvId}: adding it to {UserId}'s list failed.", ConvId, member);
            }
        });
        await Task.WhenAll(joins);
    }

    private async Task LeaveMembersAsync(IEnumerable<string> members)
    {
        await Task.WhenAll(members.Select(member => GrainFactory.GetGrain<IUserGrain>(member).LeaveConversation(ConvId)));
    }


    /// <summary>
    /// The index is derived from state, but msg.sync trusts it to say which conversations exist: a failed write is
    /// retried by a timer while this activation lives, and by the next activation's upsert.
    /// </summary>
    private async Task TryUpsertIndexAsync()
    {
        try
        {
            await _index.UpsertAsync(ToInfo());
            _indexRetry?.Dispose();
            _indexRetry = null;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Conversation {ConvId}: index upsert failed; retrying in {Period}.", ConvId, IndexRetryPeriod);
            _indexRetry ??= this.RegisterGrainTimer(RetryIndexAsync, IndexRetryPeriod, IndexRetryPeriod);
        }
    }

    private Task RetryIndexAsync()
    {
        if (Exists) return TryUpsertIndexAsync();
        _indexRetry?.Dispose();
        _indexRetry = null;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Idempotent cleanup after Deleted was written: members' lists, index row, messages, member rows, then the state
    /// record. An activation that finds Deleted has not loaded the members: they are read here.
    /// </summary>
    private async Task FinishDeleteAsync()
    {
        if (_members.Count == 0) await LoadMembersAsync();
        await LeaveMembersAsync(_members);
        await _index.DeleteAsync(ConvId);
        await _messages.DeleteConversationAsync(ConvId);
        await _memberStore.DeleteConversationAsync(ConvId);
        await ClearReceiptsAsync();
        await ClearTeamStateAsync();
        var blockedBy = State.BlockedBy;
        await ClearStateAsync();
        State = new ConversationState();
        SetMembers([]);
        _lastSeq = 0;
        await KeepBlocksAsync(blockedBy);
    }

    private async Task TryFinishDeleteAsync()
    {
        try
        {
            await FinishDeleteAsync();
        }
        catch (Exception ex)
        {
            // Stays marked Deleted (so it answers 4004); the next activation tries again.
            _logger.LogWarning(ex, "Conversation {ConvId}: finishing an interrupted delete failed.", ConvId);
        }
    }

    public Task MemberRead(string userId, long seq)
    {
        if (!Exists || !_memberSet.Contains(userId)) return Task.CompletedTask;
        var before = _receipts.PositionOf(userId);
        // A cursor past the newest message (a client's mistake) counts as having read everything so far.
        if (!_receipts.Advance(userId, Math.Min(seq, _lastSeq))) return Task.CompletedTask;
        _receiptFlush ??= this.RegisterGrainTimer(FlushReceiptsAsync, _options.ReadReceiptFlushPeriod, _options.ReadReceiptFlushPeriod);

        if (State.ConvType != ConversationTypes.Private)
        {
            _receiptsChangedAfter = Math.Min(_receiptsChangedAfter, before);
            _receiptsChangedUpTo = Math.Max(_receiptsChangedUpTo, _receipts.PositionOf(userId));
            _receiptPush ??= this.RegisterGrainTimer(PushGroupReceiptsAsync, _options.GroupReceiptPushPeriod, Timeout.InfiniteTimeSpan);
            return Task.CompletedTask;
        }

        if (State.ConvType == ConversationTypes.Private && _members.Find(m => m != userId) is { } other)
        {
            var payload = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["conv_id"] = ConvId,
                ["reader"] = userId,
                ["seq"] = _receipts.PositionOf(userId),
                ["time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            });
            _ = GrainFactory.GetGrainWithCachedType<IUserGrain>(other).Notify(new ClientEvent(SessionEventNames.MsgReceipts, payload)); // one-way
        }
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<MessageReceipt>> GetReceipts(string? requesterId, IReadOnlyList<long> seqs)
    {
        RequireReadable(requesterId);
        ArgumentNullException.ThrowIfNull(seqs);
        if (seqs.Count > ReceiptLimits.MaxSeqsPerQuery)
            throw new ImException(ImErrorCodes.LimitExceeded, $"At most {ReceiptLimits.MaxSeqsPerQuery} seqs per receipt query.");
        var receipts = new List<MessageReceipt>();
        foreach (var seq in seqs.Distinct())
        {
            if (await FindMessageAsync(seq) is not { } message) continue;
            var read = ReadersOf(message).Count(r => r.Read);
            var others = _members.Count(m => m != message.FromClient);
            receipts.Add(new MessageReceipt(seq, message.MsgId, message.FromClient, read, others - read));
        }
        return receipts;
    }

    public async Task<ReaderPage> GetReaders(string? requesterId, long seq, bool read, string? afterUserId, int limit)
    {
        RequireReadable(requesterId);
        if (limit is < 1 or > ReceiptLimits.MaxReadersPage)
            throw new ImException(ImErrorCodes.LimitExceeded, $"limit must be 1-{ReceiptLimits.MaxReadersPage}.");
        if (await FindMessageAsync(seq) is not { } message) return new ReaderPage(seq, [], null);
        var page = ReadersOf(message)
            .Where(r => r.Read == read && (afterUserId is null || string.CompareOrdinal(r.UserId, afterUserId) > 0))
            .Select(r => r.UserId)
            .Order(StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var more = page.Count > limit;
        if (more) page.RemoveAt(page.Count - 1);
        return new ReaderPage(seq, page, more ? page[^1] : null);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _receiptFlush?.Dispose();
        _receiptFlush = null;
        await FlushReceiptsAsync();
    }

    /// <summary>
    /// One coalesced teamMsgReceipts per sender for the newest messages whose read counts changed since the last push:
    /// one store read of at most <see cref="ReceiptLimits.MaxSeqsPerPush"/> messages, however many reads came in.
    /// </summary>
    private async Task PushGroupReceiptsAsync()
    {
        _receiptPush?.Dispose();
        _receiptPush = null;
        var after = Math.Max(_receiptsChangedAfter, _receiptsChangedUpTo - ReceiptLimits.MaxSeqsPerPush);
        var upTo = _receiptsChangedUpTo;
        _receiptsChangedAfter = long.MaxValue;
        _receiptsChangedUpTo = 0;
        if (!Exists || upTo <= after) return;

        var messages = await _messages.GetAfterAsync(ConvId, after, (int)(upTo - after));
        foreach (var bySender in messages.Where(m => _memberSet.Contains(m.FromClient)).GroupBy(m => m.FromClient))
        {
            var others = _members.Count(m => m != bySender.Key);
            var receipts = bySender.Select(m =>
            {
                var read = ReadersOf(m).Count(r => r.Read);
                return new Dictionary<string, object> { ["seq"] = m.Seq, ["msg_id"] = m.MsgId, ["read"] = read, ["unread"] = others - read };
            }).ToList();
            var payload = JsonSerializer.Serialize(new Dictionary<string, object> { ["conv_id"] = ConvId, ["receipts"] = receipts });
            _ = GrainFactory.GetGrainWithCachedType<IUserGrain>(bySender.Key).Notify(new ClientEvent(SessionEventNames.TeamMsgReceipts, payload)); // one-way
        }
    }

    /// <summary>Every member but the sender, with whether their read position covers the message.</summary>
    private IEnumerable<(string UserId, bool Read)> ReadersOf(ChatMessage message) =>
        _members.Where(m => m != message.FromClient).Select(m => (m, _receipts.PositionOf(m) >= message.Seq));

    /// <summary>One indexed read of the message store (receipts name at most <see cref="ReceiptLimits.MaxSeqsPerQuery"/> messages).</summary>
    private async Task<ChatMessage?> FindMessageAsync(long seq)
    {
        if (seq < 1 || seq > _lastSeq) return null;
        var found = await _messages.GetAfterAsync(ConvId, seq - 1, 1);
        return found.Count == 1 && found[0].Seq == seq ? found[0] : null;
    }

    /// <summary>
    /// Writes members' read positions if they moved. A failure keeps them dirty for the next tick; what a crash loses is
    /// at most one period of receipts (members' own read cursors, in their user grains, are written at once).
    /// </summary>
    private async Task FlushReceiptsAsync()
    {
        if (!_receipts.Dirty || !Exists) return;
        _receiptState.State.ReadSeqs = _receipts.Snapshot();
        try
        {
            await _receiptState.WriteStateAsync();
        }
        catch (Exception ex)
        {
            _receipts.MarkDirty();
            _logger.LogWarning(ex, "Conversation {ConvId}: writing read positions failed; retrying on the next flush.", ConvId);
        }
    }

    private async Task ClearReceiptsAsync()
    {
        _receiptFlush?.Dispose();
        _receiptFlush = null;
        _receiptPush?.Dispose();
        _receiptPush = null;
        _receipts = new ReadReceipts([]);
        if (_receiptState.RecordExists) await _receiptState.ClearStateAsync();
    }

    private ConversationInfo ToInfo() =>
        new(ConvId, State.ConvType, State.AppId, State.CreatorId, State.ConvExtend, _members.Count, State.CTime, State.MTime);
}
