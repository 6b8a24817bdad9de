namespace OrleansIm.LoadTest.Checking;

/// <summary>A message a client received: a <c>msg.new</c> push, or (<paramref name="Resynced"/>) a message
/// fetched with <c>msg.sync</c> after a reconnect.</summary>
public sealed record DeliveredMessage(string ReceiverId, string ConvId, string SenderId, string MsgId, long Seq, string? ClientMsgId, int TextHash,
    bool Resynced = false);
