using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// What a room sends one gateway at once: messages (in seq order) and then named events, for every connection of that
/// gateway in the room. <paramref name="Closed"/>: the room was deleted; the gateway drops its seats and tells its clients.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.ChatroomDelivery")]
public sealed record ChatroomDelivery(string ConvId, IReadOnlyList<ChatMessage> Messages, IReadOnlyList<ClientEvent> Events, bool Closed);
