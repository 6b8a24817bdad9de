using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// The live side of a chatroom (conv_type 4): who is in the room right now. Implemented by the conversation grain, so
/// <c>GetGrain&lt;IChatroomGrain&gt;(convId)</c> reaches the same activation as <see cref="IConversationGrain"/>, and a
/// send checks the room and fans out within the conversation's turn. Nothing here is persisted: a seat lives while its
/// gateway keeps it (enter, periodic <see cref="RefreshRelay"/>, exit) and ends with the connection, the gateway, or the
/// activation (gateways re-seat their connections on their next refresh). Every method answers 4003 for a conversation
/// that does not exist (as socket reads do), and for one of another type 4405 to its members, 4003 to others.
/// </summary>
[Alias("im.IChatroomGrain")]
public interface IChatroomGrain : IGrainWithStringKey
{
    /// <summary>
    /// Seats one connection (idempotent per connection id) and returns the room's info and its newest messages (at most
    /// <paramref name="recentMessages"/>, capped by Chatrooms:RecentMessages). 4602 when the room holds
    /// Chatrooms:MaxConnectionsPerRoom connections.
    /// </summary>
    Task<ChatroomEntry> Enter(ChatroomSeat seat, IChatroomRelay relay, int recentMessages);

    /// <summary>Removes the seat of this connection if the relay holds it; returns the room's info afterwards.</summary>
    Task<ChatroomInfo> Exit(string connectionId, string relayId);

    /// <summary>The room's info (online count and metadata) for a user, whether in the room or not.</summary>
    Task<ChatroomInfo> GetChatroomInfo(string userId);

    /// <summary>
    /// A gateway's periodic lease renewal: the relay's seats in this room become exactly <paramref name="seats"/> (a room
    /// that lost them — a new activation after a silo failure — gets them back; seats the gateway no longer has go).
    /// False when the room no longer exists as a chatroom: the gateway then drops its seats and tells its clients.
    /// </summary>
    Task<bool> RefreshRelay(string relayId, IChatroomRelay relay, IReadOnlyList<ChatroomSeat> seats);
}
