namespace OrleansIm.LoadTest.Checking;

/// <summary>A message as the server's history returns it (<c>msg.history</c>).</summary>
public sealed record StoredMessage(string ConvId, string MsgId, long Seq, string SenderId, string? ClientMsgId, int TextHash);
