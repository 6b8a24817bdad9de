using OrleansIm.LoadTest.Checking;
using Xunit;

namespace OrleansIm.Tests.LoadTest;

/// <summary>The load-test tool's delivery checker on fabricated runs: a clean run passes, and each kind of fault —
/// a lost, a duplicated, a reordered message, a wrong push, a missing delivery — is found and named.</summary>
public sealed class DeliveryCheckerTests
{
    private const string Conv = "c1";

    // alice sends m1..m3 to bob in order; the server stores them as seqs 1..3 and pushes each to bob.
    private static List<AckedMessage> Acked() =>
    [
        new(Conv, "alice", 10, "m1", "id1", 1, 101, ["bob"]),
        new(Conv, "alice", 11, "m2", "id2", 2, 102, ["bob"]),
        new(Conv, "alice", 12, "m3", "id3", 3, 103, ["bob"]),
    ];

    private static List<StoredMessage> History() =>
    [
        new(Conv, "id1", 1, "alice", "m1", 101),
        new(Conv, "id2", 2, "alice", "m2", 102),
        new(Conv, "id3", 3, "alice", "m3", 103),
    ];

    private static List<DeliveredMessage> Delivered() =>
    [
        new("bob", Conv, "alice", "id1", 1, "m1", 101),
        new("bob", Conv, "alice", "id2", 2, "m2", 102),
        new("bob", Conv, "alice", "id3", 3, "m3", 103),
    ];

    [Fact]
    public void A_clean_run_passes()
    {
        var result = DeliveryChecker.Check(History(), Acked(), Delivered());

        Assert.True(result.Passed, result.Summary());
        Assert.Equal(3, result.AckedMessages);
        Assert.Equal(3, result.Deliveries);
        Assert.Equal(1, result.Conversations);
        Assert.Empty(result.Examples);
    }

    [Fact]
    public void An_acked_message_missing_from_history_is_lost()
    {
        var history = History();
        history.RemoveAt(1);

        var result = DeliveryChecker.Check(history, Acked(), Delivered().Where(d => d.MsgId != "id2"));

        Assert.False(result.Passed);
        Assert.Equal(1, result.Count(DeliveryProblemKind.Lost));
        Assert.Contains(result.Examples, e => e.Kind == DeliveryProblemKind.Lost && e.Detail.Contains("m2"));
        Assert.Contains("lost", result.Summary());
    }

    [Fact]
    public void A_message_stored_twice_is_a_duplicate()
    {
        // The server stored m2 again under a new msg_id and seq (a resend it should have recognised by client_msg_id).
        var history = History();
        history.Add(new StoredMessage(Conv, "id2b", 4, "alice", "m2", 102));

        var result = DeliveryChecker.Check(history, Acked(), Delivered());

        Assert.False(result.Passed);
        Assert.Equal(1, result.Count(DeliveryProblemKind.Duplicated));
        Assert.Contains(result.Examples, e => e.Kind == DeliveryProblemKind.Duplicated && e.Detail.Contains("m2"));
    }

    [Fact]
    public void The_same_msg_id_twice_in_history_or_pushed_twice_is_a_duplicate()
    {
        var history = History();
        history.Add(history[0]);
        var delivered = Delivered();
        delivered.Add(delivered[2]);

        var result = DeliveryChecker.Check(history, Acked(), delivered);

        Assert.Equal(2, result.Count(DeliveryProblemKind.Duplicated));
        Assert.Contains(result.Examples, e => e.Detail.Contains("reached bob twice"));
    }

    [Fact]
    public void Messages_stored_in_another_order_than_sent_are_disordered()
    {
        // m2 and m3 swapped their seqs: history, acks and pushes agree with each other, but not with the send order.
        var acked = Acked();
        acked[1] = acked[1] with { Seq = 3 };
        acked[2] = acked[2] with { Seq = 2 };
        var history = new List<StoredMessage> { new(Conv, "id1", 1, "alice", "m1", 101), new(Conv, "id3", 2, "alice", "m3", 103), new(Conv, "id2", 3, "alice", "m2", 102) };
        var delivered = new List<DeliveredMessage>
        {
            new("bob", Conv, "alice", "id1", 1, "m1", 101), new("bob", Conv, "alice", "id3", 2, "m3", 103), new("bob", Conv, "alice", "id2", 3, "m2", 102),
        };

        var result = DeliveryChecker.Check(history, acked, delivered);

        Assert.False(result.Passed);
        Assert.Equal(1, result.Count(DeliveryProblemKind.Disordered));
        Assert.Equal(0, result.Count(DeliveryProblemKind.Lost) + result.Count(DeliveryProblemKind.Duplicated) + result.Count(DeliveryProblemKind.Mismatched));
        Assert.Contains(result.Examples, e => e.Kind == DeliveryProblemKind.Disordered && e.Detail.Contains("m2") && e.Detail.Contains("m3"));
    }

    [Fact]
    public void Pushes_out_of_seq_order_are_disordered_but_resynced_messages_may_arrive_late()
    {
        var delivered = Delivered();
        (delivered[1], delivered[2]) = (delivered[2], delivered[1]);

        Assert.Equal(1, DeliveryChecker.Check(History(), Acked(), delivered).Count(DeliveryProblemKind.Disordered));

        // After a reconnect, msg.sync brings seq 2 after seq 3 was already pushed: not a fault.
        delivered[2] = delivered[2] with { Resynced = true };
        Assert.True(DeliveryChecker.Check(History(), Acked(), delivered).Passed);
    }

    [Fact]
    public void A_push_that_history_does_not_have_or_with_another_text_is_mismatched()
    {
        var delivered = Delivered();
        delivered[0] = delivered[0] with { TextHash = 999 };
        delivered.Add(new DeliveredMessage("bob", Conv, "alice", "ghost", 4, "m4", 104));

        var result = DeliveryChecker.Check(History(), Acked(), delivered);

        Assert.Equal(2, result.Count(DeliveryProblemKind.Mismatched));
        Assert.Contains(result.Examples, e => e.Detail.Contains("another text"));
        Assert.Contains(result.Examples, e => e.Detail.Contains("ghost"));
    }

    [Fact]
    public void An_acked_message_a_recipient_never_received_is_undelivered()
    {
        var result = DeliveryChecker.Check(History(), Acked(), Delivered().Where(d => d.MsgId != "id3"));

        Assert.False(result.Passed);
        Assert.Equal(1, result.Count(DeliveryProblemKind.Undelivered));
        Assert.Equal(0, result.Count(DeliveryProblemKind.Lost));
    }
}
