namespace OrleansIm.Grains.Interfaces;

/// <summary>Fixed bounds of chatrooms (the configurable ones are Chatrooms:* settings).</summary>
public static class ChatroomLimits
{
    /// <summary>Most messages an enter may ask for (Chatrooms:RecentMessages may not exceed it).</summary>
    public const int MaxRecentMessages = 100;

    /// <summary>
    /// A <c>chatroom.members</c> event names the users who entered and left since the last one only while they are at
    /// most this many together; past it, it carries the count alone (a big room must not push every join to everyone).
    /// </summary>
    public const int MaxNamesPerMembersEvent = 20;
}
