namespace OrleansIm.Gateway.Chatrooms;

/// <summary>The gateway's chatroom settings, bound from the <c>Chatrooms</c> section (the silo reads its own keys of it: ChatroomOptions).</summary>
public sealed class ChatroomGatewayOptions
{
    public const string SectionName = "Chatrooms";

    /// <summary>Most chatrooms one connection is in at once; a <c>chatroom.enter</c> past it gets 4013.</summary>
    public int MaxRoomsPerConnection { get; set; } = 10;
}
