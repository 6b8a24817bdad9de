namespace OrleansIm.Grains.Interfaces;

/// <summary>Events pushed to the connections in a chatroom (docs/protocol.md § Chatrooms).</summary>
public static class ChatroomEventNames
{
    /// <summary>The online count changed (coalesced, at most once per Chatrooms:PresencePushPeriod), with who came and went when few did.</summary>
    public const string Members = "chatroom.members";

    /// <summary>The room was deleted: this connection is no longer in it.</summary>
    public const string Closed = "chatroom.closed";
}
