using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>The answer to entering a room: its info and its newest stored messages, oldest first.</summary>
[GenerateSerializer, Immutable, Alias("im.ChatroomEntry")]
public sealed record ChatroomEntry(ChatroomInfo Info, IReadOnlyList<ChatMessage> Recent);
