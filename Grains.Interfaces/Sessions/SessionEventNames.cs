namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 002's names of the session and receipt events (<see cref="ClientEvent.Name"/>).</summary>
public static class SessionEventNames
{
    /// <summary>A session changed in a way <c>msg.new</c> does not show (a read on another device): <c>{conv_id, unread, last_read_seq}</c>.</summary>
    public const string UpdateSession = "updateSession";

    /// <summary>The other member of a private conversation read up to a seq: <c>{conv_id, reader, seq, time}</c>.</summary>
    public const string MsgReceipts = "msgReceipts";

    /// <summary>
    /// Group messages of the receiving user were read: <c>{conv_id, receipts:[{seq, msg_id, read, unread}]}</c>, coalesced
    /// (at most one per sender and conversation per <c>ImGrains:GroupReceiptPushPeriod</c>, covering the newest changed messages).
    /// </summary>
    public const string TeamMsgReceipts = "teamMsgReceipts";
}
