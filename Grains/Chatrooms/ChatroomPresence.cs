using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Chatrooms;

/// <summary>
/// Who is in one chatroom now, in memory only: seats by connection, grouped by the gateway (relay) holding them, and
/// a count per user. It also gathers what changed for the next coalesced <c>chatroom.members</c> event: the users who
/// came and went (names only while few, <see cref="ChatroomLimits.MaxNamesPerMembersEvent"/>) and whether the count moved.
/// </summary>
public sealed class ChatroomPresence
{
    private readonly Dictionary<string, ChatroomSeat> _seats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChatroomRelayLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);
    private readonly HashSet<string> _entered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exited = new(StringComparer.Ordinal);
    private bool _namesOmitted;
    private bool _changed;
    private int _onlineAtLastEvent;

    /// <summary>Distinct users in the room.</summary>
    public int Online => _users.Count;

    /// <summary>Connections in the room.</summary>
    public int Connections => _seats.Count;

    public IReadOnlyCollection<ChatroomRelayLink> Links => _links.Values;

    public bool Contains(string connectionId) => _seats.ContainsKey(connectionId);

    public bool HasUser(string userId) => _users.ContainsKey(userId);

    /// <summary>Seats a connection (again: same connection id = no change) through <paramref name="relay"/>.</summary>
    public void Seat(ChatroomSeat seat, IChatroomRelay relay, long now)
    {
        var link = LinkFor(seat.RelayId, relay, now);
        if (_seats.TryGetValue(seat.ConnectionId, out var existing))
        {
            if (existing == seat) return;
            Unseat(seat.ConnectionId, existing.RelayId);
        }
        _seats[seat.ConnectionId] = seat;
        link.Connections.Add(seat.ConnectionId);
        if (_users.TryGetValue(seat.UserId, out var count))
        {
            _users[seat.UserId] = count + 1;
            return;
        }
        _users[seat.UserId] = 1;
        Note(seat.UserId, _entered, _exited);
    }

    /// <summary>Removes a connection's seat if <paramref name="relayId"/> holds it; false if it was not there.</summary>
    public bool Unseat(string connectionId, string relayId)
    {
        if (!_seats.TryGetValue(connectionId, out var seat) || seat.RelayId != relayId) return false;
        _seats.Remove(connectionId);
        if (_links.TryGetValue(relayId, out var link))
        {
            link.Connections.Remove(connectionId);
            if (link.Connections.Count == 0 && !link.Sending) _links.Remove(relayId);
        }
        var count = _users[seat.UserId] - 1;
        if (count > 0)
        {
            _users[seat.UserId] = count;
            return true;
        }
        _users.Remove(seat.UserId);
        Note(seat.UserId, _exited, _entered);
        return true;
    }

    /// <summary>A relay's renewal: its seats become exactly <paramref name="seats"/>.</summary>
    public void Replace(string relayId, IChatroomRelay relay, IReadOnlyList<ChatroomSeat> seats, long now)
    {
        var keep = new HashSet<string>(seats.Select(s => s.ConnectionId), StringComparer.Ordinal);
        if (_links.TryGetValue(relayId, out var link))
        {
            foreach (var gone in link.Connections.Where(c => !keep.Contains(c)).ToList()) Unseat(gone, relayId);
        }
        foreach (var seat in seats) Seat(seat with { RelayId = relayId }, relay, now);
        if (seats.Count > 0) LinkFor(relayId, relay, now);
    }

    /// <summary>Drops a relay (its gateway is gone) with every seat it held.</summary>
    public void Drop(ChatroomRelayLink link)
    {
        if (!_links.TryGetValue(link.RelayId, out var current) || current != link) return;
        foreach (var connection in link.Connections.ToList()) Unseat(connection, link.RelayId);
        _links.Remove(link.RelayId);
    }

    /// <summary>Links not renewed since <paramref name="before"/>.</summary>
    public IReadOnlyList<ChatroomRelayLink> RenewedBefore(long before) => _links.Values.Where(l => l.RenewedAt < before).ToList();

    /// <summary>Forgets a link that emptied while a delivery to it was in flight.</summary>
    public void ForgetIfEmpty(ChatroomRelayLink link)
    {
        if (link.Connections.Count == 0 && !link.Sending && _links.TryGetValue(link.RelayId, out var current) && current == link)
            _links.Remove(link.RelayId);
    }

    /// <summary>Drops everything (the room was deleted); returns the links that held seats, to be told.</summary>
    public IReadOnlyList<ChatroomRelayLink> Clear()
    {
        var links = _links.Values.ToList();
        _links.Clear();
        _seats.Clear();
        _users.Clear();
        _entered.Clear();
        _exited.Clear();
        _changed = false;
        return links;
    }

    /// <summary>
    /// What changed since the last call, as a <c>chatroom.members</c> payload; null when nothing did (or when users
    /// only came and went again). Names are left out (<c>names_omitted</c>) once more than the limit changed.
    /// </summary>
    public Dictionary<string, object>? TakeMembersChange(string convId)
    {
        if (!_changed) return null;
        var names = !_namesOmitted && (_entered.Count > 0 || _exited.Count > 0);
        if (!names && Online == _onlineAtLastEvent && !_namesOmitted)
        {
            _changed = false;
            return null;
        }
        var payload = new Dictionary<string, object> { ["conv_id"] = convId, ["online"] = Online, ["connections"] = Connections };
        if (_namesOmitted) payload["names_omitted"] = true;
        else
        {
            payload["entered"] = _entered.Order(StringComparer.Ordinal).ToList();
            payload["exited"] = _exited.Order(StringComparer.Ordinal).ToList();
        }
        _entered.Clear();
        _exited.Clear();
        _namesOmitted = false;
        _changed = false;
        _onlineAtLastEvent = Online;
        return payload;
    }

    /// <summary>True when a change waits for the next event.</summary>
    public bool HasChange => _changed;

    private ChatroomRelayLink LinkFor(string relayId, IChatroomRelay relay, long now)
    {
        if (!_links.TryGetValue(relayId, out var link))
        {
            link = new ChatroomRelayLink(relayId, relay, now);
            _links[relayId] = link;
        }
        link.Relay = relay;
        link.RenewedAt = now;
        return link;
    }

    /// <summary>A user came (or went): one who went (came) within the same period cancels out instead.</summary>
    private void Note(string userId, HashSet<string> into, HashSet<string> opposite)
    {
        _changed = true;
        if (_namesOmitted) return;
        if (opposite.Remove(userId)) return;
        into.Add(userId);
        if (_entered.Count + _exited.Count <= ChatroomLimits.MaxNamesPerMembersEvent) return;
        _namesOmitted = true;
        _entered.Clear();
        _exited.Clear();
    }
}
