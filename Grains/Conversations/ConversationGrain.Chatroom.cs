using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Grains.Chatrooms;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Conversations;

/// <summary>
/// Chatrooms (conv_type 4): a conversation without persisted members. Who is in the room lives in this activation's
/// memory (<see cref="ChatroomPresence"/>), seated per connection by the gateways, which renew their seats periodically
/// and re-seat them after a failover. A message is stored like any other (seq, history, idempotent client_msg_id) and
/// goes to whoever is in the room at that moment: one awaited delivery per gateway, not per connection, never holding
/// up the sender's ack. See docs/architecture.md § Chatrooms.
/// </summary>
public sealed partial class ConversationGrain : IChatroomGrain
{
    private readonly ChatroomPresence _room = new();
    private ChatroomOptions? _chatroomOptions;
    private ChatroomSendRate? _chatroomRate;
    private IGrainTimer? _roomMembersPush;
    private IGrainTimer? _roomExpiry;

    private bool IsChatroom => State.ConvType == ConversationTypes.Chatroom;

    private ChatroomOptions ChatroomSettings => _chatroomOptions ??= ServiceProvider.GetRequiredService<IOptions<ChatroomOptions>>().Value;

    private static long Now => TimeProvider.System.GetTimestamp();

    public async Task<ChatroomEntry> Enter(ChatroomSeat seat, IChatroomRelay relay, int recentMessages)
    {
        ArgumentNullException.ThrowIfNull(seat);
        ArgumentNullException.ThrowIfNull(relay);
        RequireChatroom(seat.UserId);
        if (!_room.Contains(seat.ConnectionId) && _room.Connections >= ChatroomSettings.MaxConnectionsPerRoom)
            throw new ImException(ImErrorCodes.ChatroomFull, $"Chatroom '{ConvId}' is full ({ChatroomSettings.MaxConnectionsPerRoom} connections).");
        _room.Seat(seat, relay, Now);
        RoomChanged();

        var limit = Math.Clamp(recentMessages, 0, ChatroomSettings.RecentMessages);
        var recent = limit == 0 ? [] : await _messages.GetBeforeAsync(ConvId, long.MaxValue, limit, seat.UserId);
        return new ChatroomEntry(RoomInfo(), recent.Reverse().ToList());
    }

    public Task<ChatroomInfo> Exit(string connectionId, string relayId)
    {
        ForgetIfUnknown();
        if (!Exists || !IsChatroom) throw new ImException(ImErrorCodes.NotInChatroom, $"Not in chatroom '{ConvId}'.");
        if (_room.Unseat(connectionId, relayId)) RoomChanged();
        return Task.FromResult(RoomInfo());
    }

    public Task<ChatroomInfo> GetChatroomInfo(string userId)
    {
        RequireChatroom(userId);
        return Task.FromResult(RoomInfo());
    }

    public Task<bool> RefreshRelay(string relayId, IChatroomRelay relay, IReadOnlyList<ChatroomSeat> seats)
    {
        ArgumentNullException.ThrowIfNull(seats);
        if (!Exists || !IsChatroom)
        {
            ForgetIfUnknown();
            return Task.FromResult(false);
        }
        _room.Replace(relayId, relay, seats, Now);
        RoomChanged();
        return Task.FromResult(true);
    }

    /// <summary>Seed 003 create for conv_type 4: the creator is recorded, nobody becomes a member (to_client_ids is ignored).</summary>
    private async Task<ConversationInfo> CreateChatroomAsync(CreateConversationRequest request)
    {
        if (string.IsNullOrEmpty(request.AppId))
            throw new ImException(ImErrorCodes.MissingParameter, "app_id is required.");
        RequireValidUserId(request.CreatorId);
        RequireJsonOrNull(request.ConvExtend, "conv_extend");
        if (Exists) throw new ImException(ImErrorCodes.ConversationExists, $"Conversation '{ConvId}' already exists.");
        await RequireRegisteredAsync([request.CreatorId]);

        State = new ConversationState
        {
            Created = true,
            ConvType = ConversationTypes.Chatroom,
            AppId = request.AppId,
            CreatorId = request.CreatorId,
            ConvExtend = request.ConvExtend,
            CTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        await WriteStateAsync();
        SetMembers([]); // nobody is a member of a room; nothing goes to the member store
        _lastSeq = await _messages.GetLastSeqAsync(ConvId);
        await TryUpsertIndexAsync();
        _logger.LogInformation("Chatroom {ConvId} created by {CreatorId}.", ConvId, request.CreatorId);
        return ToInfo();
    }

    /// <summary>
    /// Socket requests about a room: one that does not exist answers like every socket read (4003, so ids cannot be
    /// probed); one of another type says 4405 to its members and 4003 to everyone else.
    /// </summary>
    private void RequireChatroom(string userId)
    {
        ForgetIfUnknown();
        if (!Exists) throw ImException.NotMember(userId, ConvId);
        if (IsChatroom) return;
        if (_memberSet.Contains(userId))
            throw new ImException(ImErrorCodes.InvalidConversationType, $"Conversation '{ConvId}' is not a chatroom (conv_type 4).");
        throw ImException.NotMember(userId, ConvId);
    }

    /// <summary>A sender must be in the room (any of their connections) and the room's message rate must allow it.</summary>
    private void AdmitChatroomSender(string userId)
    {
        if (!_room.HasUser(userId))
            throw new ImException(ImErrorCodes.NotInChatroom, $"'{userId}' is not in chatroom '{ConvId}': enter it first (chatroom.enter).");
        _chatroomRate ??= new ChatroomSendRate(ChatroomSettings.MessagesPerSecond, ChatroomSettings.MessageBurst, TimeProvider.System);
        if (!_chatroomRate.TryTake())
            throw new ImException(ImErrorCodes.RateLimited, $"Chatroom '{ConvId}' takes at most {ChatroomSettings.MessagesPerSecond} messages a second; try again shortly.");
    }

    private bool IsInRoom(string userId) => IsChatroom && _room.HasUser(userId);

    /// <summary>One delivery per gateway holding connections in the room, queued behind the one in flight.</summary>
    private void FanOutToRoom(ChatMessage message)
    {
        foreach (var link in _room.Links)
        {
            link.Add(message);
            Pump(link);
        }
    }

    private void Pump(ChatroomRelayLink link)
    {
        if (link.Sending || link.TakePending(ConvId) is not { } delivery) return;
        link.Sending = true;
        _ = PumpAsync(link, delivery);
    }

    /// <summary>
    /// Sends a relay its deliveries one at a time, in order, each awaited (continuations run in this activation, between
    /// turns). A failed delivery means the gateway is gone: the relay and its seats are dropped.
    /// </summary>
    private async Task PumpAsync(ChatroomRelayLink link, ChatroomDelivery delivery)
    {
        try
        {
            for (ChatroomDelivery? next = delivery; next is not null; next = link.TakePending(ConvId))
            {
                try
                {
                    await link.Relay.Deliver(next);
                }
                catch (Exception ex)
                {
                    _logger.LogInformation(ex, "Chatroom {ConvId}: relay {RelayId} did not take a delivery; dropping its {Count} connections.", ConvId, link.RelayId, link.Connections.Count);
                    link.Sending = false;
                    _room.Drop(link);
                    RoomChanged();
                    return;
                }
            }
        }
        finally
        {
            link.Sending = false;
            _room.ForgetIfEmpty(link);
        }
    }

    /// <summary>After seats changed: a coalesced members event is due, and seats may now expire.</summary>
    private void RoomChanged()
    {
        if (_room.HasChange)
            _roomMembersPush ??= this.RegisterGrainTimer(PushMembersAsync, ChatroomSettings.PresencePushPeriod, Timeout.InfiniteTimeSpan);
        if (_room.Links.Count > 0 && _roomExpiry is null)
        {
            var period = ChatroomSettings.RelayExpiry / 3;
            _roomExpiry = this.RegisterGrainTimer(ExpireRelaysAsync, period, period);
        }
    }

    private Task PushMembersAsync()
    {
        _roomMembersPush?.Dispose();
        _roomMembersPush = null;
        if (!Exists || !IsChatroom || _room.TakeMembersChange(ConvId) is not { } payload) return Task.CompletedTask;
        PushToRoom(new ClientEvent(ChatroomEventNames.Members, JsonSerializer.Serialize(payload)));
        return Task.CompletedTask;
    }

    /// <summary>An event to every connection in the room at this moment, in order with the room's messages.</summary>
    private void PushToRoom(ClientEvent clientEvent)
    {
        foreach (var link in _room.Links)
        {
            link.Add(clientEvent);
            Pump(link);
        }
    }

    /// <summary>Drops gateways that stopped renewing their seats (died without a word and no message found out).</summary>
    private Task ExpireRelaysAsync()
    {
        var cutoff = Now - (long)(ChatroomSettings.RelayExpiry.TotalSeconds * TimeProvider.System.TimestampFrequency);
        foreach (var link in _room.RenewedBefore(cutoff))
        {
            _logger.LogInformation("Chatroom {ConvId}: relay {RelayId} did not renew its {Count} connections; dropping them.", ConvId, link.RelayId, link.Connections.Count);
            _room.Drop(link);
        }
        RoomChanged();
        if (_room.Links.Count == 0)
        {
            _roomExpiry?.Dispose();
            _roomExpiry = null;
        }
        return Task.CompletedTask;
    }

    /// <summary>The room was deleted: every gateway in it is told (it tells its clients) and the seats go.</summary>
    private void CloseChatroom()
    {
        if (State.ConvType != ConversationTypes.Chatroom) return;
        _roomMembersPush?.Dispose();
        _roomMembersPush = null;
        _roomExpiry?.Dispose();
        _roomExpiry = null;
        foreach (var link in _room.Clear())
        {
            link.MarkClosed();
            Pump(link);
        }
    }

    private ChatroomInfo RoomInfo() =>
        new(ConvId, State.CreatorId, State.ConvExtend, _room.Online, _room.Connections, State.CTime, _lastSeq);
}
