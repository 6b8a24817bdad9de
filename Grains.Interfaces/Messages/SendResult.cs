using OrleansIm.Runtime;

namespace OrleansIm.Grains.Interfaces;

/// <summary>The acknowledgement of a send; Duplicate is true when a resend matched an earlier ClientMsgId.</summary>
[GenerateSerializer]
public sealed record SendResult(string MsgId, long Seq, long Time, bool Duplicate);
