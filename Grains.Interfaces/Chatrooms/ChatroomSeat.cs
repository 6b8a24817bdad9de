using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>One connection in a chatroom: the connection, its user and the relay (gateway) that holds it.</summary>
[GenerateSerializer, Immutable, Alias("im.ChatroomSeat")]
public sealed record ChatroomSeat(string ConnectionId, string UserId, string RelayId);
