namespace OrleansIm.LoadTest.Checking;

public enum DeliveryProblemKind
{
    /// <summary>Acknowledged, but not in the conversation's history.</summary>
    Lost,

    /// <summary>In history twice (same msg_id, same seq, or the same sender's client_msg_id), or pushed twice to one receiver.</summary>
    Duplicated,

    /// <summary>One sender's messages got seqs in another order than they were sent, or a receiver got pushes out of seq order.</summary>
    Disordered,

    /// <summary>An ack or a push that does not match history (another seq, sender or text, or a msg_id history does not have).</summary>
    Mismatched,

    /// <summary>Acknowledged and in history, but a recipient that was online never received it (neither pushed nor resynced).</summary>
    Undelivered,
}
