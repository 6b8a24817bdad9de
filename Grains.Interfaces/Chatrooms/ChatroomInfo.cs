using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A chatroom as clients see it: <paramref name="Online"/> distinct users in it now, <paramref name="Connections"/> their
/// connections (a user with two devices in the room counts once online, twice in connections); times are unix ms.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.ChatroomInfo")]
public sealed record ChatroomInfo(string ConvId, string CreatorId, string? ConvExtend, int Online, int Connections, long CTime, long LastSeq);
