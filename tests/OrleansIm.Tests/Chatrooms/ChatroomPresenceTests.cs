using OrleansIm.Grains.Chatrooms;
using OrleansIm.Grains.Interfaces;
using Xunit;

namespace OrleansIm.Tests.Chatrooms;

/// <summary>The room's in-memory seats and the coalescing of chatroom.members (names only while few changed).</summary>
public sealed class ChatroomPresenceTests
{
    private readonly FakeChatroomRelay _relay = new(fails: false);

    [Fact]
    public void Counts_users_once_and_connections_each()
    {
        var room = new ChatroomPresence();
        room.Seat(new ChatroomSeat("c1", "alice", "g1"), _relay, 0);
        room.Seat(new ChatroomSeat("c2", "alice", "g1"), _relay, 0);
        room.Seat(new ChatroomSeat("c3", "bob", "g2"), _relay, 0);
        room.Seat(new ChatroomSeat("c3", "bob", "g2"), _relay, 0);
        Assert.Equal((2, 3, 2), (room.Online, room.Connections, room.Links.Count));

        Assert.False(room.Unseat("c3", "g1")); // another gateway cannot take a seat away
        Assert.True(room.Unseat("c1", "g1"));
        Assert.True(room.HasUser("alice"));
        Assert.True(room.Unseat("c2", "g1"));
        Assert.False(room.HasUser("alice"));
        Assert.Equal((1, 1, 1), (room.Online, room.Connections, room.Links.Count));
    }

    [Fact]
    public void A_renewal_replaces_the_gateways_seats_and_a_drop_removes_them()
    {
        var room = new ChatroomPresence();
        room.Seat(new ChatroomSeat("c1", "alice", "g1"), _relay, 0);
        room.Seat(new ChatroomSeat("c2", "bob", "g1"), _relay, 0);
        room.Seat(new ChatroomSeat("c3", "carol", "g2"), _relay, 0);
        room.Replace("g1", _relay, [new ChatroomSeat("c2", "bob", "g1"), new ChatroomSeat("c4", "dave", "g1")], 5);
        Assert.False(room.HasUser("alice"));
        Assert.True(room.HasUser("dave"));
        Assert.Single(room.RenewedBefore(5)); // g2, last seen at 0

        room.Drop(room.RenewedBefore(5)[0]);
        Assert.False(room.HasUser("carol"));
        Assert.Equal(2, room.Online);
    }

    [Fact]
    public void Members_changes_name_few_users_and_only_count_many()
    {
        var room = new ChatroomPresence();
        room.Seat(new ChatroomSeat("c1", "alice", "g1"), _relay, 0);
        room.Seat(new ChatroomSeat("c2", "bob", "g1"), _relay, 0);
        var first = room.TakeMembersChange("r")!;
        Assert.Equal(2, first["online"]);
        Assert.Equal(new[] { "alice", "bob" }, (List<string>)first["entered"]);
        Assert.Null(room.TakeMembersChange("r"));

        // In and out within one period cancels out: nothing to say.
        room.Seat(new ChatroomSeat("c3", "carol", "g1"), _relay, 0);
        room.Unseat("c3", "g1");
        Assert.Null(room.TakeMembersChange("r"));

        for (var i = 0; i <= ChatroomLimits.MaxNamesPerMembersEvent; i++) room.Seat(new ChatroomSeat($"m{i}", $"u{i}", "g1"), _relay, 0);
        var many = room.TakeMembersChange("r")!;
        Assert.Equal(true, many["names_omitted"]);
        Assert.False(many.ContainsKey("entered"));
        Assert.Equal(2 + ChatroomLimits.MaxNamesPerMembersEvent + 1, many["online"]);
    }
}
