namespace OrleansIm.LoadTest.Checking;

/// <summary>A message the server acknowledged (<c>msg.send.ack</c>): what the checker expects to find in history.</summary>
/// <param name="SendOrder">When the acknowledged attempt went on the wire, increasing in the order the sender's
/// frames were written (across its reconnects too): the server must give one sender's messages in one conversation
/// increasing seqs in this order.</param>
/// <param name="TextHash">Hash of the text sent, compared with the stored and the pushed text.</param>
/// <param name="Recipients">Who must receive it (the other members, online for the whole run).</param>
public sealed record AckedMessage(string ConvId, string SenderId, long SendOrder, string ClientMsgId, string MsgId, long Seq, int TextHash,
    IReadOnlyList<string> Recipients);
