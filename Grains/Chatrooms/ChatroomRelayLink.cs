using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Chatrooms;

/// <summary>
/// One gateway's part of a room: its relay, its connections in the room, when it last renewed them, and what waits to
/// be sent to it. At most one delivery is in flight per link; what arrives meanwhile goes out together as the next one,
/// which keeps the order and turns a burst into few, larger calls.
/// </summary>
public sealed class ChatroomRelayLink(string relayId, IChatroomRelay relay, long renewedAt)
{
    private List<ChatMessage> _messages = [];
    private List<ClientEvent> _events = [];
    private bool _closed;

    public string RelayId { get; } = relayId;

    public IChatroomRelay Relay { get; set; } = relay;

    /// <summary>Connection ids of this gateway in the room.</summary>
    public HashSet<string> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>Timestamp (TimeProvider) of the last enter or renewal through this relay.</summary>
    public long RenewedAt { get; set; } = renewedAt;

    /// <summary>True while a delivery to this relay is awaited.</summary>
    public bool Sending { get; set; }

    public void Add(ChatMessage message) => _messages.Add(message);

    public void Add(ClientEvent clientEvent) => _events.Add(clientEvent);

    public void MarkClosed() => _closed = true;

    /// <summary>Everything waiting, as one delivery (and clears it); null when nothing waits.</summary>
    public ChatroomDelivery? TakePending(string convId)
    {
        if (_messages.Count == 0 && _events.Count == 0 && !_closed) return null;
        var delivery = new ChatroomDelivery(convId, _messages, _events, _closed);
        _messages = [];
        _events = [];
        _closed = false;
        return delivery;
    }
}
