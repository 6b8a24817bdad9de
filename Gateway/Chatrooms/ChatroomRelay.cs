using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Chatrooms;

/// <summary>
/// This gateway's side of every chatroom: which of its /ws connections are in which room, and the one observer
/// (<see cref="IChatroomRelay"/>) rooms push to. A room sends one delivery per gateway; the relay serializes each frame
/// once and queues it on every local connection in the room. The local index is what decides delivery here, so a
/// connection that exits or closes stops getting the room's frames at once, whatever the room still counts.
/// </summary>
public sealed class ChatroomRelay(IGrainFactory grains, ConnectionManager connections, GatewayMetrics metrics, ILogger<ChatroomRelay> logger) : IChatroomRelay
{
    private readonly Lock _gate = new();
    // conv id → connections of this gateway in it; connection id → its rooms. Changed under _gate, read without it.
    private readonly Dictionary<string, Dictionary<string, IGatewayConnection>> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _roomsOf = new(StringComparer.Ordinal);
    private IChatroomRelay? _reference;

    /// <summary>Names this gateway process's relay to the rooms; new each start.</summary>
    public string RelayId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The grain-callable reference, made once and kept (with this object) for the life of the process.</summary>
    public IChatroomRelay Reference
    {
        get
        {
            lock (_gate) return _reference ??= grains.CreateObjectReference<IChatroomRelay>(this);
        }
    }

    /// <summary>Puts a connection in a room here. Null if it already was; false if it is in <paramref name="maxRooms"/> rooms already.</summary>
    public bool? TryJoinLocal(IGatewayConnection connection, string convId, int maxRooms)
    {
        lock (_gate)
        {
            if (!_roomsOf.TryGetValue(connection.ConnectionId, out var rooms)) _roomsOf[connection.ConnectionId] = rooms = new(StringComparer.Ordinal);
            if (rooms.Contains(convId)) return null;
            if (rooms.Count >= maxRooms) return false;
            rooms.Add(convId);
            if (!_rooms.TryGetValue(convId, out var members)) _rooms[convId] = members = new(StringComparer.Ordinal);
            members[connection.ConnectionId] = connection;
            return true;
        }
    }

    /// <summary>Takes a connection out of a room here; false if it was not in it.</summary>
    public bool LeaveLocal(string connectionId, string convId)
    {
        lock (_gate)
        {
            if (!_roomsOf.TryGetValue(connectionId, out var rooms) || !rooms.Remove(convId)) return false;
            if (rooms.Count == 0) _roomsOf.Remove(connectionId);
            RemoveMember(convId, connectionId);
            return true;
        }
    }

    public bool IsInLocal(string connectionId, string convId)
    {
        lock (_gate) return _roomsOf.TryGetValue(connectionId, out var rooms) && rooms.Contains(convId);
    }

    /// <summary>
    /// A connection closed: out of every room here at once, then each room is told (best effort: a room not told drops
    /// the seat at this gateway's next renewal, which lists only live connections).
    /// </summary>
    public async Task LeaveAllAsync(string connectionId)
    {
        List<string> left;
        lock (_gate)
        {
            if (!_roomsOf.Remove(connectionId, out var rooms)) return;
            left = rooms.ToList();
            foreach (var convId in left) RemoveMember(convId, connectionId);
        }
        await Task.WhenAll(left.Select(async convId =>
        {
            try
            {
                await grains.GetGrain<IChatroomGrain>(convId).Exit(connectionId, RelayId);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Telling chatroom {ConvId} that connection {ConnectionId} left failed", convId, connectionId);
            }
        }));
    }

    /// <summary>Each room with connections here, and its seats among the connections still live (for renewal).</summary>
    public IReadOnlyList<(string ConvId, IReadOnlyList<ChatroomSeat> Seats)> SeatsByRoom()
    {
        var stale = new List<(string ConvId, string ConnectionId)>();
        var result = new List<(string, IReadOnlyList<ChatroomSeat>)>();
        lock (_gate)
        {
            foreach (var (convId, members) in _rooms)
            {
                var seats = new List<ChatroomSeat>(members.Count);
                foreach (var (connectionId, connection) in members)
                {
                    // A frame still being handled when its connection closed may have joined after the close's cleanup.
                    if (connections.Find(connectionId) is null) stale.Add((convId, connectionId));
                    else seats.Add(new ChatroomSeat(connectionId, connection.UserId, RelayId));
                }
                result.Add((convId, seats));
            }
            foreach (var (convId, connectionId) in stale)
            {
                if (_roomsOf.TryGetValue(connectionId, out var rooms) && rooms.Remove(convId) && rooms.Count == 0) _roomsOf.Remove(connectionId);
                RemoveMember(convId, connectionId);
            }
        }
        return result;
    }

    /// <summary>The room is gone (deleted): its connections here are out of it and told so.</summary>
    public void CloseLocal(string convId)
    {
        List<IGatewayConnection> members;
        lock (_gate)
        {
            if (!_rooms.Remove(convId, out var found)) return;
            members = found.Values.ToList();
            foreach (var member in members)
            {
                if (_roomsOf.TryGetValue(member.ConnectionId, out var rooms) && rooms.Remove(convId) && rooms.Count == 0) _roomsOf.Remove(member.ConnectionId);
            }
        }
        var frame = ServerFrames.Push(ChatroomEventNames.Closed, new JsonObject { ["conv_id"] = convId });
        foreach (var member in members) Enqueue(member, frame);
    }

    /// <summary>A room's delivery: each frame serialized once, queued on every connection of this gateway in the room.</summary>
    public Task Deliver(ChatroomDelivery delivery)
    {
        IGatewayConnection[] members;
        lock (_gate)
        {
            members = _rooms.TryGetValue(delivery.ConvId, out var found) ? found.Values.ToArray() : [];
        }
        foreach (var message in delivery.Messages)
        {
            var frame = ServerFrames.Push(ServerFrames.MessageNew, MessageJson.ToPush(message));
            foreach (var member in members)
            {
                // As in other conversations: a sender's own connections get their message only when it asks (no_sync 1).
                if (message.NoSync == 0 && member.UserId == message.FromClient) continue;
                if (Enqueue(member, frame)) metrics.MessageDelivered(GatewayMetrics.Json, message.CTime);
            }
        }
        foreach (var clientEvent in delivery.Events)
        {
            var frame = ServerFrames.Push(clientEvent.Name, JsonNode.Parse(clientEvent.PayloadJson)!.AsObject());
            foreach (var member in members) Enqueue(member, frame);
        }
        if (delivery.Closed) CloseLocal(delivery.ConvId);
        return Task.CompletedTask;
    }

    private bool Enqueue(IGatewayConnection connection, byte[] frame)
    {
        if (!connection.Outgoing.TryEnqueue(frame)) return false;
        metrics.FrameSent(GatewayMetrics.Json);
        return true;
    }

    private void RemoveMember(string convId, string connectionId)
    {
        if (_rooms.TryGetValue(convId, out var members) && members.Remove(connectionId) && members.Count == 0) _rooms.Remove(convId);
    }
}
